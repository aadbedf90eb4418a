// Run with --expose-gc. Prints the heap that importing @healthsock/server retains, and the heap
// that a listening server with 20 checks retains once each probe has been answered once.
import { probeInProcess } from './probeInProcess.js';

const gc = /** @type {() => void} */ (globalThis.gc);
const heapAfterGc = () => {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
};

const before = heapAfterGc();
const { createHealthServer } = await import('../../packages/server/dist/index.js');
const imported = heapAfterGc();

const health = createHealthServer({ socketPath: process.argv[2] });
for (let i = 1; i <= 20; i++)
  health.addCheck(`check-${i}`, async () => undefined, { probes: ['liveness', 'readiness'] });
await health.listen();
for (const probe of ['startup', 'liveness', 'readiness']) await probeInProcess(process.argv[2] ?? '', probe);
await new Promise((resolve) => setImmediate(resolve));
const listening = heapAfterGc();
await health.close();

process.stdout.write(`${JSON.stringify({ importBytes: imported - before, serverBytes: listening - imported })}\n`);
