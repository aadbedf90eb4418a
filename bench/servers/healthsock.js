// @healthsock/server with the checks of bench/servers/checks.js, each belonging to every
// probe. argv[2] is a socket path (the socket transport alone), `tcp` (the HTTP transport
// alone, on a free port of 127.0.0.1) or `grpc` (the gRPC transport alone, likewise). HS_BENCH_SERVER_ENTRY loads another build of the server
// instead of the workspace's (`--compare-server`).
import { checks } from './checks.js';
import { holdUntilStdinCloses } from './lifecycle.js';

const entry = process.env.HS_BENCH_SERVER_ENTRY ?? new URL('../../packages/server/dist/index.js', import.meta.url).href;
const { createHealthServer } = /** @type {typeof import('../../packages/server/dist/index.js')} */ (
  await import(entry)
);

const where = process.argv[2] ?? '';
// Typed loosely: --compare-server may load a build from before the HTTP transport.
/** @type {any} */
const health =
  where === 'tcp'
    ? createHealthServer(/** @type {any} */ ({ socketPath: false, http: { port: 0, host: '127.0.0.1' } }))
    : where === 'grpc'
      ? createHealthServer(/** @type {any} */ ({ socketPath: false, grpc: { port: 0, host: '127.0.0.1' } }))
      : createHealthServer({ socketPath: where });
checks.forEach((check, /** @type {number} */ i) => {
  health.addCheck(`check-${i + 1}`, check, { probes: ['startup', 'liveness', 'readiness'] });
});
await health.listen();
const address =
  where === 'tcp'
    ? `tcp:127.0.0.1:${health.ports.http}`
    : where === 'grpc'
      ? `tcp:127.0.0.1:${health.ports.grpc}`
      : where;
holdUntilStdinCloses(address, () => health.close());
