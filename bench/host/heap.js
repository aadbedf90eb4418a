// Run with --expose-gc: node heap.js <library> <socket path>. Prints the heap that importing
// the library retains, and the heap that it retains once it serves 20 checks and has answered
// each probe once (bench/host/libraries.js).
import { LIBRARIES, allPass } from './libraries.js';

const [name = '', socketPath = ''] = process.argv.slice(2);
const library = LIBRARIES[name];
if (!library) throw new Error(`unknown library ${name}`);
const gc = /** @type {() => void} */ (globalThis.gc);
const heapAfterGc = () => {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
};

const before = heapAfterGc();
const module = await import(library.specifier);
const imported = heapAfterGc();

const running = await library.start(module, socketPath, 20);
const replies = await running.replies();
if (!allPass(replies)) throw new Error(`${name}: a probe failed: ${replies.join(' | ')}`);
await new Promise((resolve) => setImmediate(resolve));
const listening = heapAfterGc();
await running.close();

process.stdout.write(`${JSON.stringify({ importBytes: imported - before, serverBytes: listening - imported })}\n`);
process.exit(0);
