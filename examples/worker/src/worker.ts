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
//   liveness            "is the work moving?": the event loop answers, and the job loop beats
import { checks, createHealthServer } from '@healthsock/server';

const dependency = {
  host: process.env.DEPENDENCY_HOST || 'localhost',
  port: parsePort(process.env.DEPENDENCY_PORT ?? '5432'),
};

// Liveness: unhealthy when the work has not moved for a minute. An event loop that answers is not
// enough: a consumer awaiting a promise that never settles leaves the loop spinning while the
// work has stopped, and only a restart fixes that.
const consumer = checks.progress({ maxAgeMs: 60_000 });

// The worker's real job goes here: consume a queue, run a schedule, relay a stream. Call beat()
// after each message, and on each poll that found nothing, so an idle queue is not a stuck one.
// The timer also keeps the process alive, which the health server deliberately never does.
let jobs = 0;
const work = setInterval(() => {
  jobs += 1;
  consumer.beat();
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
// checks.tcp connects within the check's timeoutMs and closes the connection at once.
health.addCheck('dependency', checks.tcp(dependency), { timeoutMs: 500 });

// Liveness stays free of dependencies on purpose. That the worker answered on the socket proves
// its event loop turns, and the progress check that its work moves: both are what a restart can
// fix. A dependency outage is not: if liveness checked the dependency, a short outage would
// restart every replica at once.
health.addCheck('consumer', consumer, { probes: ['liveness'] });

await health.listen();
console.log(`listening on ${health.socketPath}, dependency ${dependency.host}:${dependency.port}`);

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DEPENDENCY_PORT must be a port number from 1 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
