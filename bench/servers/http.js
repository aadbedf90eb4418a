// What HTTP-probe libraries cost: a `node:http` server answering 200 on /healthz.
import http from 'node:http';
import { holdUntilStdinCloses } from './lifecycle.js';

const server = http.createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404, { 'content-type': 'text/plain' });
  response.end(request.url === '/healthz' ? 'ok' : 'not found');
});
server.listen(process.argv[2], () => holdUntilStdinCloses(() => new Promise((done) => server.close(done))));
