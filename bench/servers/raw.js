// The floor for a server: a bare `net` server that reads the request and replies with a fixed
// answer, `0` to a socket probe, or a fixed 200 response to an HTTP request.
import net from 'node:net';
import { clientAddress, holdUntilStdinCloses, listenTarget } from './lifecycle.js';

const HTTP_OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.once('data', (request) => socket.end(request[0] === 0x47 /* G */ ? HTTP_OK : '0'));
});
server.listen(listenTarget(), () =>
  holdUntilStdinCloses(clientAddress(server.address()), () => new Promise((done) => server.close(done))),
);
