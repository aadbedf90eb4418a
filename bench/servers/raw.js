// The floor for a server: a bare `net` server that reads the request and replies `0`.
import net from 'node:net';
import { holdUntilStdinCloses } from './lifecycle.js';

const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.once('data', () => socket.end('0'));
});
server.listen(process.argv[2], () => holdUntilStdinCloses(() => new Promise((done) => server.close(done))));
