// Proof that an idle server does nothing: node idle.js <library> <socket path> <ms>. The
// library serves 20 checks and answers each probe once, then sits idle for <ms> while
// async_hooks watch every timer and every callback. Prints the timers the process still holds,
// and the callbacks that ran while idle.
import { createHook } from 'node:async_hooks';
import { LIBRARIES, allPass } from './libraries.js';

const [name = '', socketPath = '', idleMs = '2000'] = process.argv.slice(2);
const library = LIBRARIES[name];
if (!library) throw new Error(`unknown library ${name}`);
/** @type {Map<number, string>} async id → type, for every live resource */
const live = new Map();
/** @type {Record<string, number>} */
const ran = {};
let watching = false;
/** The async id of this script's own idle timer, which is not the library's doing. */
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

const running = await library.start(await import(library.specifier), socketPath, 20);
const replies = await running.replies();
if (!allPass(replies)) throw new Error(`${name}: a probe failed: ${replies.join(' | ')}`);
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
    void running.close().then(() => {
      const result = { idleMs: Number(idleMs), timersHeld, callbacksRun: ran, cpuMs: (cpu.user + cpu.system) / 1000 };
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    });
  }, Number(idleMs));
  creatingOwnTimer = false;
  watching = true;
});
