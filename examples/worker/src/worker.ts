// A background worker with health probes but no HTTP server.
//
// Configuration, all from the environment:
//   HEALTHSOCK_SOCKET   where the health socket listens (read by @healthsock/server and by the
//                       healthsock CLI alike, so the probes need no --socket)
//   DEPENDENCY_HOST     host and port of the service this worker cannot work without: its
//   DEPENDENCY_PORT     database, broker or upstream API
//
// Probes:
//   startup, readiness  "can I reach my dependency?": a TCP connection to DEPENDENCY_HOST:PORT
//   liveness            "is this process responsive?": nothing more, see below
import net from 'node:net';
import { createHealthServer } from '@healthsock/server';

const dependency = {
  host: process.env.DEPENDENCY_HOST || 'localhost',
  port: parsePort(process.env.DEPENDENCY_PORT ?? '5432'),
};

// The worker's real job goes here: consume a queue, run a schedule, relay a stream. The timer also
// keeps the process alive, which the health server deliberately never does.
let jobs = 0;
const work = setInterval(() => {
  jobs += 1;
}, 1000);

const health = createHealthServer({
  // On SIGTERM (Kubernetes stopping the pod) or SIGINT, readiness starts failing, then the server
  // closes and removes its socket file, and then the worker stops its own work and so exits.
  shutdownSignals: ['SIGTERM', 'SIGINT'],
  onShutdown: (signal) => {
    clearInterval(work);
    console.log(`${signal}: stopped after ${jobs} jobs`);
  },
});

// Startup and readiness (the default probes for a check). Startup holds the other probes off
// until the dependency has been reachable once; readiness then reports outages while they last.
health.addCheck('dependency', ({ signal }) => connectOnce(dependency.host, dependency.port, signal), {
  timeoutMs: 500,
});

// Liveness is dumb on purpose. That the worker answered on the socket at all proves that its
// event loop is turning, and a stuck event loop is what a restart can fix. A dependency outage is
// not: if liveness checked the dependency, a short outage would restart every replica at once.
health.addCheck('process', () => ({ status: 'healthy', data: { uptimeS: Math.round(process.uptime()) } }), {
  probes: ['liveness'],
});

await health.listen();
console.log(`listening on ${health.socketPath}, dependency ${dependency.host}:${dependency.port}`);

/** Opens a TCP connection and closes it again. Rejects if that fails or `signal` aborts first. */
function connectOnce(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const abort = () => socket.destroy(new Error(`no connection to ${host}:${port} in time`));
    signal.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
    socket.once('close', () => signal.removeEventListener('abort', abort));
  });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DEPENDENCY_PORT must be a port number from 1 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
