// @healthsock/server with N registered checks (HS_BENCH_CHECKS, default 5), each an async
// function that passes at once and belongs to every probe. Listens on argv[2], prints
// `listening`, and exits when stdin closes. HS_BENCH_SERVER_ENTRY loads another build of the
// server instead of the workspace's (`--compare-server`).
import { holdUntilStdinCloses } from './lifecycle.js';

const entry = process.env.HS_BENCH_SERVER_ENTRY ?? new URL('../../packages/server/dist/index.js', import.meta.url).href;
const { createHealthServer } = /** @type {typeof import('../../packages/server/dist/index.js')} */ (
  await import(entry)
);

const count = Number(process.env.HS_BENCH_CHECKS ?? 5);
const health = createHealthServer({ socketPath: process.argv[2] });
for (let i = 1; i <= count; i++) {
  health.addCheck(`check-${i}`, async () => undefined, { probes: ['startup', 'liveness', 'readiness'] });
}
await health.listen();
holdUntilStdinCloses(() => health.close());
