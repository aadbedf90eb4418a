// node start.js <library> <socket path> <empty module URL>: what importing the library and
// starting it with 5 checks costs, in wall and CPU ms, in a fresh process whose ES module loader
// is already up (as in any worker by the time it imports a health library).
import { LIBRARIES } from './libraries.js';

const [name = '', socketPath = '', empty = ''] = process.argv.slice(2);
const library = LIBRARIES[name];
if (!library) throw new Error(`unknown library ${name}`);
await import(empty);

const ms = (/** @type {bigint} */ from) => Number(process.hrtime.bigint() - from) / 1e6;
const cpuMs = (/** @type {NodeJS.CpuUsage} */ from) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const module = await import(library.specifier);
const importMs = ms(t0);
const importCpuMs = cpuMs(cpu0);
const running = await library.start(module, socketPath, 5);
const startMs = ms(t0);
const startCpuMs = cpuMs(cpu0);
await running.close();
process.stdout.write(`${JSON.stringify({ importMs, importCpuMs, startMs, startCpuMs })}\n`);
process.exit(0);
