#!/usr/bin/env node
/**
 * The healthsock benchmark: `pnpm bench` (after `pnpm build`) prints one report with three
 * tables. Every figure is measured side by side with its baselines in the same run, the
 * variants alternating (A B C A B C ...), and reported as medians.
 *
 *   node bench/run.js [--quick] [--only=cold,load,host,instructions,checks,metrics,registry] [--compare-cli=FILE]
 *     [--compare-server=FILE] [--compare-binary=FILE]
 *
 * --compare-cli adds another build of the CLI's dist/bin.cjs as row c′, and --compare-server
 * another build of the server's dist/index.js as row b′, each measured alongside the rest:
 * the way to show what a change buys. --compare-binary adds another native binary as row n′.
 *
 * --quick (or BENCH_QUICK=1) runs few iterations, for CI: the figures are rough, but every
 * code path runs. Nothing here asserts a target; the report prints them next to the results.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { checksCost } from './checks/checks.js';
import { coldStart } from './coldstart/coldstart.js';
import { hostCost } from './host/host.js';
import { instructionCounts } from './instructions/instructions.js';
import { metricsCost } from './metrics/metrics.js';
import { serverLoad } from './load/load.js';
import { registryCost } from './registry/registry.js';
import { ensureTools, installLikeAUser } from './lib/setup.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
/** The value of `--name=value`, if given. @param {string} name */
const option = (name) => {
  const value = args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  return value === undefined || value === '' ? undefined : value;
};
const only = option('only')?.split(',') ?? ['cold', 'load', 'host', 'instructions', 'checks', 'metrics', 'registry'];
const compareCli = option('compare-cli');
const compareServer = option('compare-server');
const compareBinary = option('compare-binary');
const settings = quick
  ? { coldRounds: 8, loadRounds: 1, loadSeconds: 0.3, hostRounds: 2, eluSeconds: 1, idleMs: 1000, instructionRuns: 1 }
  : { coldRounds: 60, loadRounds: 5, loadSeconds: 1, hostRounds: 5, eluSeconds: 3, idleMs: 5000, instructionRuns: 3 };

ensureTools();
const app = installLikeAUser();
const started = Date.now();
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const sections = [
  [
    `healthsock benchmark${quick ? ' (quick mode: rough figures)' : ''}`,
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${osName()}`,
    `load average at start: ${load()}   NODE_EXTRA_CA_CERTS: unset for every run`,
  ].join('\n'),
];
const print = (/** @type {string} */ text) => {
  sections.push(text);
  console.error(`bench: ${text.split('\n')[0]} done`);
};

if (only.includes('cold')) {
  const cold = await coldStart({
    app,
    rounds: settings.coldRounds,
    compareCli: compareCli && resolve(compareCli),
    compareBinary: compareBinary && resolve(compareBinary),
  });
  print(cold.text);
}
if (only.includes('load')) {
  const compare = compareServer && resolve(compareServer);
  const loaded = await serverLoad({
    rounds: settings.loadRounds,
    seconds: settings.loadSeconds,
    compareServer: compare,
  });
  print(loaded.socketText);
  print(loaded.httpText);
}
if (only.includes('host')) {
  const host = await hostCost({
    rounds: settings.hostRounds,
    seconds: settings.eluSeconds,
    idleMs: settings.idleMs,
    compareServer: compareServer && resolve(compareServer),
  });
  print(host.text);
}
if (only.includes('instructions')) {
  print((await instructionCounts({ app, runs: quick ? 1 : settings.instructionRuns, quick })).text);
}
if (only.includes('checks')) {
  print((await checksCost({ rounds: settings.hostRounds, idleMs: settings.idleMs, calls: quick ? 1e6 : 1e7 })).text);
}
if (only.includes('metrics')) {
  print((await metricsCost({ rounds: settings.hostRounds, scrapes: quick ? 50 : 500 })).text);
}
if (only.includes('registry')) {
  print(
    (
      await registryCost({
        rounds: quick ? 1 : settings.hostRounds + 1,
        compareServer: compareServer && resolve(compareServer),
      })
    ).text,
  );
}
sections.push(`load average at end: ${load()}; took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(sections.join('\n\n'));

function osName() {
  try {
    return execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {
    return process.platform;
  }
}
