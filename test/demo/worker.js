// The demo's worker: a queue consumer with no HTTP server. Its readiness depends on a broker
// at BROKER_PORT; its liveness only asks whether the event loop answers.
import net from 'node:net';
import { createHealthServer } from '@healthsock/server';

const brokerPort = Number(process.env.BROKER_PORT);

const health = createHealthServer();
health.addCheck(
  'broker',
  ({ signal }) =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: brokerPort, signal });
      socket.once('connect', () => resolve(socket.end()));
      socket.once('error', reject);
    }),
  { timeoutMs: 500 },
);
await health.listen();
process.stdout.write('listening\n');

// Stands in for the consumer's real work, which is what keeps a worker running.
setInterval(() => {}, 1000);
process.once('SIGTERM', () => health.close().then(() => process.exit(0)));
