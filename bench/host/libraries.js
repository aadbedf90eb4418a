/**
 * The health libraries whose cost to their host the benchmark compares, each set up the way its
 * documentation shows, with `count` no-op checks where the library runs checks per request, and
 * asked once per probe kind it serves.
 */
import net from 'node:net';

/**
 * @typedef {{ replies: () => Promise<string[]>, close: () => Promise<void> }} Running
 * @typedef {{ label: string, specifier: string, start: (module: any, socketPath: string, count: number) => Promise<Running> }} Library
 */

/**
 * Sends one request and resolves with the whole reply once the server has closed the
 * connection.
 *
 * @param {string | number} where a Unix socket's path, or a port on 127.0.0.1
 * @param {string} request
 * @returns {Promise<string>}
 */
export function ask(where, request) {
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket =
      typeof where === 'number' ? net.connect(where, '127.0.0.1') : net.connect(/** @type {string} */ (where));
    socket.on('connect', () => socket.write(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(reply));
  });
}

/** @param {string} path */
const get = (path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
const noop = async () => undefined;

/** @param {import('node:net').Server} server */
const portOf = (server) => /** @type {import('node:net').AddressInfo} */ (server.address()).port;

/** @param {import('node:net').Server} server */
const closeServer = (server) => new Promise((resolve) => server.close(() => resolve(undefined)));

/** @type {Record<string, Library>} */
export const LIBRARIES = {
  healthsock: {
    label: '@healthsock/server, socket',
    specifier: '@healthsock/server',
    async start({ createHealthServer }, socketPath, count) {
      const health = createHealthServer({ socketPath });
      for (let i = 1; i <= count; i++) health.addCheck(`check-${i}`, noop, { probes: ['liveness', 'readiness'] });
      await health.listen();
      return {
        replies: async () => {
          const replies = [];
          for (const probe of ['startup', 'liveness', 'readiness']) replies.push(await ask(socketPath, `${probe}\n`));
          return replies;
        },
        close: () => health.close(),
      };
    },
  },
  'healthsock-http': {
    label: '@healthsock/server, socket and HTTP',
    specifier: '@healthsock/server',
    async start({ createHealthServer }, socketPath, count) {
      const health = createHealthServer({ socketPath, http: { port: 0, host: '127.0.0.1' } });
      for (let i = 1; i <= count; i++) health.addCheck(`check-${i}`, noop, { probes: ['liveness', 'readiness'] });
      await health.listen();
      const port = health.ports.http;
      return {
        replies: async () => {
          const replies = [];
          for (const probe of ['startup', 'liveness', 'readiness']) replies.push(await ask(socketPath, `${probe}\n`));
          for (const path of ['/startupz', '/livez', '/readyz']) replies.push(await ask(port, get(path)));
          return replies;
        },
        close: () => health.close(),
      };
    },
  },
  terminus: {
    label: '@godaddy/terminus + node:http',
    specifier: '@godaddy/terminus',
    async start({ createTerminus }, _socketPath, count) {
      const http = await import('node:http');
      const checks = Array.from({ length: count }, () => noop);
      const server = http.createServer((_request, response) => response.writeHead(404).end());
      const runChecks = async () => void (await Promise.all(checks.map((check) => check())));
      createTerminus(server, { healthChecks: { '/livez': runChecks, '/readyz': runChecks } });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
      return {
        replies: async () => [await ask(portOf(server), get('/livez')), await ask(portOf(server), get('/readyz'))],
        close: () => closeServer(server),
      };
    },
  },
  lightship: {
    label: 'lightship (Fastify)',
    specifier: 'lightship',
    async start({ createLightship }) {
      // lightship runs no checks per request: the application calls signalReady() itself.
      const lightship = await createLightship({ detectKubernetes: false, port: 0 });
      lightship.signalReady();
      const port = portOf(lightship.server);
      return {
        replies: async () => [await ask(port, get('/live')), await ask(port, get('/ready'))],
        close: () => closeServer(lightship.server),
      };
    },
  },
};

/**
 * True when every reply is a pass: a healthsock JSON reply that is healthy, or an HTTP 200.
 *
 * @param {string[]} replies
 */
export const allPass = (replies) =>
  replies.length > 0 &&
  replies.every((reply) => reply.includes('"status":"healthy"') || reply.startsWith('HTTP/1.1 200'));
