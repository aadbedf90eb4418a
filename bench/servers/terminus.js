// @godaddy/terminus on a `node:http` server: its health endpoint /healthz runs the checks
// (bench/servers/checks.js). Terminus takes one function per path, so the checks run in it.
import http from 'node:http';
import { createTerminus } from '@godaddy/terminus';
import { runChecks } from './checks.js';
import { clientAddress, holdUntilStdinCloses, listenTarget } from './lifecycle.js';

const server = http.createServer((_request, response) => {
  response.writeHead(404);
  response.end();
});
createTerminus(server, {
  healthChecks: { '/healthz': async () => void (await runChecks()) },
  // The bench stops the server itself; terminus would otherwise also trap SIGTERM.
  signals: [],
});
server.listen(listenTarget(), () =>
  holdUntilStdinCloses(clientAddress(server.address()), () => new Promise((done) => server.close(done))),
);
