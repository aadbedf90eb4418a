// What a hand-written HTTP health endpoint costs: `node:http` answering GET /healthz after
// running the checks (bench/servers/checks.js), 200 `ok`.
import http from 'node:http';
import { checkCount, runChecks } from './checks.js';
import { clientAddress, holdUntilStdinCloses, listenTarget } from './lifecycle.js';

/** @param {http.ServerResponse} response @param {number} status @param {string} body */
const reply = (response, status, body) => {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(body);
};
const server = http.createServer((request, response) => {
  if (request.url !== '/healthz') return reply(response, 404, 'not found');
  if (checkCount === 0) return reply(response, 200, 'ok');
  runChecks().then(
    () => reply(response, 200, 'ok'),
    () => reply(response, 503, 'failed'),
  );
});
server.listen(listenTarget(), () =>
  holdUntilStdinCloses(clientAddress(server.address()), () => new Promise((done) => server.close(done))),
);
