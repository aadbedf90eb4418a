// @healthsock/server with the checks of bench/servers/checks.js, each belonging to every
// probe, served on the socket argv[2]. HS_BENCH_SERVER_ENTRY loads another build of the server
// instead of the workspace's (`--compare-server`).
import { checks } from './checks.js';
import { holdUntilStdinCloses } from './lifecycle.js';

const entry = process.env.HS_BENCH_SERVER_ENTRY ?? new URL('../../packages/server/dist/index.js', import.meta.url).href;
const { createHealthServer } = /** @type {typeof import('../../packages/server/dist/index.js')} */ (
  await import(entry)
);

const socketPath = process.argv[2] ?? '';
const health = createHealthServer({ socketPath });
checks.forEach((check, i) => {
  health.addCheck(`check-${i + 1}`, check, { probes: ['startup', 'liveness', 'readiness'] });
});
await health.listen();
holdUntilStdinCloses(socketPath, () => health.close());
