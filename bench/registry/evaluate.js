// Server CPU per evaluation of a probe with the bench's 5 no-op checks, in one process and
// without a socket, so that what the registry costs shows through the noise of a loaded machine.
// argv[2] is a build's entry (the workspace's by default), argv[3] the caller's budget in ms, or
// `none` for no budget (as a bare `readiness` line). Prints { cpuUs, wallUs } per evaluation.
//   node bench/registry/evaluate.js packages/server/dist/index.js 750
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checks } from '../servers/checks.js';

const [entry = new URL('../../packages/server/dist/index.js', import.meta.url).pathname, budget = '750'] =
  process.argv.slice(2);
const { createHealthServer } = /** @type {typeof import('../../packages/server/dist/index.js')} */ (
  await import(pathToFileURL(resolve(entry)).href)
);
const health = createHealthServer({ socketPath: false });
checks.forEach((check, /** @type {number} */ i) => health.addCheck(`check-${i + 1}`, check, { probes: ['readiness'] }));
const options = budget === 'none' ? {} : { budgetMs: Number(budget) };
const evaluations = 100_000;
// Warm up first: a probing worker has long since optimised this path.
for (let i = 0; i < evaluations / 5; i++) await health.probe('readiness', options);
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
for (let i = 0; i < evaluations; i++) await health.probe('readiness', options);
const used = process.cpuUsage(cpu);
const wallUs = Number(process.hrtime.bigint() - started) / 1e3 / evaluations;
console.log(JSON.stringify({ cpuUs: (used.user + used.system) / evaluations, wallUs }));
