/**
 * 1. Cold start of one healthy probe: wall time, CPU time and peak RSS of a whole process,
 * from spawn to exit, for the runtime's floor, a minimal raw Node client, the healthsock CLI,
 * the single binary and a C client. Every sample comes from bench/coldstart/measure.c, which
 * spawns the command once and reads its rusage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, fixed, median, percentile, ratio, table } from '../lib/stats.js';
import { BENCH, ROOT, benchEnv, compile, installAsCommand, socketDir, startServer } from '../lib/setup.js';

export const BINARY = join(ROOT, 'build', 'bin', 'healthsock-linux-x64');

/**
 * @param {{ app: string, rounds: number, compareCli?: string | undefined }} options
 *   app: a user-like install (installLikeAUser); compareCli: another build of the CLI's
 *   bin.cjs to measure alongside, installed the same way (row c′)
 */
export async function coldStart({ app, rounds, compareCli }) {
  const measure = compile('coldstart/measure.c', 'measure');
  const cClient = compile('coldstart/client.c', 'client');
  const dir = socketDir();
  const socket = join(dir, 'health.sock');
  const server = await startServer('healthsock.js', socket);
  const env = benchEnv();

  /** @type {Record<string, {label: string, argv: string[]}>} */
  const rows = {
    a: { label: 'a. node -e 0', argv: [process.execPath, '-e', '0'] },
    b: {
      label: 'b. raw net client (Node)',
      argv: [process.execPath, join(BENCH, 'coldstart', 'rawClient.cjs'), socket],
    },
    c: {
      label: 'c. healthsock (node_modules/.bin)',
      argv: [join(app, 'node_modules', '.bin', 'healthsock'), '-s', socket],
    },
    d: { label: 'd. healthsock single binary', argv: [BINARY, '-s', socket] },
    e: { label: 'e. C client', argv: [cClient, socket] },
  };
  const hasBinary = existsSync(BINARY);
  if (!hasBinary) delete rows.d;
  if (compareCli) {
    rows["c'"] = {
      label: `c′. ${compareCli}`,
      argv: [installAsCommand(app, compareCli, 'healthsock-compare'), '-s', socket],
    };
  }

  const once = (/** @type {string[]} */ argv) => {
    const result = spawnSync(measure, argv, { env, encoding: 'utf8' });
    const [code, wallUs, cpuUs, rssKiB] = result.stdout.trim().split(' ').map(Number);
    if (result.status !== 0 || code !== 0) {
      throw new Error(`cold start: ${argv.join(' ')} failed (exit ${code}): ${result.stderr}`);
    }
    return { wallMs: Number(wallUs) / 1000, cpuMs: Number(cpuUs) / 1000, rssMiB: Number(rssKiB) / 1024 };
  };

  try {
    const variants = Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, () => once(row.argv)]));
    await alternate(2, variants); // warm the page cache and the server
    const samples = await alternate(rounds, variants);
    /** @type {Record<string, {wall: number, wallP90: number, cpu: number, rss: number}>} */
    const results = {};
    for (const [key, runs] of Object.entries(samples)) {
      results[key] = {
        wall: median(runs.map((run) => run.wallMs)),
        wallP90: percentile(
          runs.map((run) => run.wallMs),
          90,
        ),
        cpu: median(runs.map((run) => run.cpuMs)),
        rss: median(runs.map((run) => run.rssMiB)),
      };
    }
    const get = (/** @type {string} */ key) => results[key] ?? { wall: NaN, wallP90: NaN, cpu: NaN, rss: NaN };
    const body = Object.entries(rows).map(([key, row]) => {
      const r = get(key);
      return [row.label, fixed(r.wall), fixed(r.wallP90), fixed(r.cpu), fixed(r.rss)];
    });
    if (!hasBinary)
      body.splice(3, 0, ['d. healthsock single binary (not built: run pnpm build:binary)', '–', '–', '–', '–']);
    const [a, b, c, d, e, c2] = ['a', 'b', 'c', 'd', 'e', "c'"].map(get);
    const text = [
      `1. Cold start of one healthy liveness probe (${rounds} rounds, alternating; medians)`,
      '',
      table(['command', 'wall p50 ms', 'wall p90 ms', 'CPU ms', 'peak RSS MiB'], body),
      '',
      `c/b: wall ${ratio(c.wall, b.wall)}, CPU ${ratio(c.cpu, b.cpu)}, RSS ${ratio(c.rss, b.rss)}   (targets: wall ≤ 1.25×, RSS ≤ 1.10×)`,
      `c/a: wall ${ratio(c.wall, a.wall)}, CPU ${ratio(c.cpu, a.cpu)}, RSS ${ratio(c.rss, a.rss)}`,
      `d/b: ${hasBinary ? `wall ${ratio(d.wall, b.wall)}, CPU ${ratio(d.cpu, b.cpu)}, RSS ${ratio(d.rss, b.rss)}   (target: wall ≤ 1.25×)` : 'not built (run pnpm build:binary)'}`,
      `b/e: wall ${ratio(b.wall, e.wall)}, CPU ${ratio(b.cpu, e.cpu)}, RSS ${ratio(b.rss, e.rss)}`,
      ...(compareCli
        ? [`c′/b: wall ${ratio(c2.wall, b.wall)}, CPU ${ratio(c2.cpu, b.cpu)}, RSS ${ratio(c2.rss, b.rss)}`]
        : []),
    ].join('\n');
    return { text, results };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
