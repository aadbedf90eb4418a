/**
 * 6. What the built-in checks cost: progress's beat() and a lane's, called once per message,
 * inflight's begin() and done(), called once per job, and the
 * event-loop delay check's native timer on an idle host.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, fixed, median, table } from '../lib/stats.js';
import { BENCH, benchEnv, socketDir } from '../lib/setup.js';

/** Runs one of the bench/checks scripts and parses the JSON line it prints. @param {string[]} args */
function runScript(...args) {
  return JSON.parse(execFileSync(process.execPath, args, { env: benchEnv(), encoding: 'utf8' }));
}

/** @param {{ rounds: number, idleMs: number, calls: number }} options */
export async function checksCost({ rounds, idleMs, calls }) {
  const dir = socketDir();
  const rows = [];
  try {
    const beat = (/** @type {string} */ variant) => runScript(join(BENCH, 'checks', 'beat.js'), variant, String(calls));
    const beats = await alternate(rounds, {
      beat: () => beat('beat'),
      lane: () => beat('lane beat'),
      inflight: () => beat('begin/done'),
      date: () => beat('Date.now()'),
      empty: () => beat('empty'),
    });
    const ns = (/** @type {{ nsPerCall: number }[]} */ runs) => fixed(median(runs.map((run) => run.nsPerCall)), 1);
    const gcs = (/** @type {{ gcs: number }[]} */ runs) => Math.max(...runs.map((run) => run.gcs));
    const millions = calls / 1e6;
    rows.push([
      'progress: beat()',
      `${ns(beats.beat ?? [])} ns per call, ${gcs(beats.beat ?? [])} GCs in ${millions}M calls`,
      `an empty call: ${ns(beats.empty ?? [])} ns; \`lastMessageAt = Date.now()\`: ${ns(beats.date ?? [])} ns, ${gcs(beats.date ?? [])} GCs`,
    ]);
    rows.push([
      "lanes: a lane's beat()",
      `${ns(beats.lane ?? [])} ns per call, ${gcs(beats.lane ?? [])} GCs in ${millions}M calls`,
      'the same counter as progress, one per queue or partition',
    ]);
    rows.push([
      'inflight: begin() + done()',
      `${ns(beats.inflight ?? [])} ns per job, ${gcs(beats.inflight ?? [])} GCs in ${millions}M jobs`,
      `${fixed(1e9 / median((beats.inflight ?? []).map((run) => run.nsPerCall)) / 1e6, 1)}M jobs per s on one core; each allocates its entry and its done()`,
    ]);

    let n = 0;
    const idle = (/** @type {string} */ variant) =>
      runScript(join(BENCH, 'checks', 'idle.js'), join(dir, `idle-${n++}.sock`), String(idleMs), variant);
    const idles = await alternate(rounds, { eventLoop: () => idle('eventLoop'), none: () => idle('none') });
    const perSecond = (/** @type {{ cpuMs: number, idleMs: number }[]} */ runs) =>
      median(runs.map((run) => (run.cpuMs / run.idleMs) * 1000));
    const withCheck = perSecond(idles.eventLoop ?? []);
    const without = perSecond(idles.none ?? []);
    rows.push([
      'eventLoopDelay(): idle host',
      `${fixed(withCheck, 2)} ms CPU per s (${fixed(withCheck / 10, 3)} % of a core)`,
      `the same server without it: ${fixed(without, 2)} ms per s; so the check costs ${fixed(withCheck - without, 2)} ms per s`,
    ]);

    const text = [
      `6. What the built-in checks cost (${rounds} rounds, alternating; medians)`,
      '',
      table(['measure', 'result', 'context'], rows, 3),
    ].join('\n');
    return { text, results: { beats, idles } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
