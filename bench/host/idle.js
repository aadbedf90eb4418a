// Proof that an idle server does nothing: a listening server with 20 checks answers each probe
// once, then sits idle for argv[3] ms while async_hooks watch every timer and every callback.
// Prints the timers the server still holds, and the callbacks that ran while idle.
import { createHook } from 'node:async_hooks';
import { probeInProcess } from './probeInProcess.js';

const [socketPath = '', idleMs = '2000'] = process.argv.slice(2);
/** @type {Map<number, string>} async id → type, for every live resource */
const live = new Map();
/** @type {Record<string, number>} */
const ran = {};
let watching = false;
/** The async id of this script's own idle timer, which is not the server's doing. */
let own = -1;
let creatingOwnTimer = false;
createHook({
  init(id, type) {
    live.set(id, type);
    if (creatingOwnTimer) own = id;
  },
  before(id) {
    if (watching && id !== own) {
      const type = live.get(id) ?? 'unknown';
      ran[type] = (ran[type] ?? 0) + 1;
    }
  },
  destroy(id) {
    live.delete(id);
  },
}).enable();

const { createHealthServer } = await import('../../packages/server/dist/index.js');
const health = createHealthServer({ socketPath });
for (let i = 1; i <= 20; i++)
  health.addCheck(`check-${i}`, async () => undefined, { probes: ['liveness', 'readiness'] });
await health.listen();
for (const probe of ['startup', 'liveness', 'readiness']) await probeInProcess(socketPath, probe);
// Let everything the probes left behind settle: closes, then the destroy hooks, which Node
// emits in batches on later turns of the event loop.
await new Promise((resolve) => setTimeout(resolve, 50));
for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));

// Start watching on a fresh turn of the loop, once this module's own promises have settled.
setImmediate(() => {
  const timersHeld = [...live.values()].filter((type) => type === 'Timeout').length;
  const cpuBefore = process.cpuUsage();
  creatingOwnTimer = true;
  setTimeout(() => {
    watching = false;
    const cpu = process.cpuUsage(cpuBefore);
    void health.close().then(() => {
      const result = { idleMs: Number(idleMs), timersHeld, callbacksRun: ran, cpuMs: (cpu.user + cpu.system) / 1000 };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  }, Number(idleMs));
  creatingOwnTimer = false;
  watching = true;
});
