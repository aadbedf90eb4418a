/**
 * 5. Instruction counts of one cold-start probe, from `valgrind --tool=callgrind`: unlike wall
 * time, they barely move with the load of a shared machine, so they settle the comparisons
 * that hang on a few percent. ASLR is off (`setarch -R`). Node still seeds its hash tables and
 * Math.random at random, which moves a count by a few percent from run to run, so every
 * command runs `runs` times and the median is reported; the last rows repeat the CLI and the
 * raw client with V8's `--random-seed=42`, which makes their counts repeat to 0.01 % (the flag
 * itself costs every Node process some 17 M instructions, so compare those two rows by their
 * difference).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixed, median, table } from '../lib/stats.js';
import { BENCH, WORK, benchEnv, socketDir, startServer } from '../lib/setup.js';
import { NATIVE, staticCClient } from '../coldstart/coldstart.js';
import { existsSync } from 'node:fs';

/**
 * Instructions that `argv` executes, over all its threads, under callgrind.
 *
 * @param {string[]} argv
 * @returns {number}
 */
function instructions(argv) {
  const out = mkdtempSync(join(WORK, 'callgrind-'));
  try {
    const result = spawnSync(
      'setarch',
      [
        process.arch === 'arm64' ? 'aarch64' : 'x86_64',
        '-R',
        'valgrind',
        '--tool=callgrind',
        `--callgrind-out-file=${out}/cg.%p`,
        ...argv,
      ],
      { env: benchEnv(), encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`callgrind: ${argv.join(' ')} failed: ${result.stderr.slice(-500)}`);
    let total = 0;
    for (const file of readdirSync(out)) {
      const summary = /^summary: (\d+)$/m.exec(readFileSync(join(out, file), 'utf8'));
      total += Number(summary?.[1] ?? 0);
    }
    return total;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * @param {{ app: string, runs: number, quick: boolean }} options
 */
export async function instructionCounts({ app, runs, quick }) {
  const dir = socketDir();
  const socket = join(dir, 'health.sock');
  const server = await startServer('healthsock.js', socket);
  // Under valgrind a probe runs some 30 times slower: the CLI gets a deadline to match.
  const cli = join(app, 'node_modules', '@healthsock', 'cli', 'dist', 'bin.cjs');
  const raw = join(BENCH, 'coldstart', 'rawClient.cjs');
  const cStatic = staticCClient();
  /** @type {Record<string, {label: string, argv: string[]}>} */
  const rows = {
    a: { label: 'a. node -e 0', argv: [process.execPath, '-e', '0'] },
    b: { label: 'b. raw net client', argv: [process.execPath, raw, socket] },
    c: {
      label: 'c. healthsock (unix socket), node dist/bin.cjs',
      argv: [process.execPath, cli, '-t', '60s', '-s', socket],
    },
    ...(existsSync(NATIVE)
      ? { n: { label: 'n. native healthsock (unix socket)', argv: [NATIVE, '-t', '60s', '-s', socket] } }
      : {}),
    ...(cStatic ? { es: { label: 'es. C client, static musl -Os', argv: [cStatic, socket] } } : {}),
    bs: { label: 'b, --random-seed=42', argv: [process.execPath, '--random-seed=42', raw, socket] },
    cs: { label: 'c, --random-seed=42', argv: [process.execPath, '--random-seed=42', cli, '-t', '60s', '-s', socket] },
  };
  // Seeded counts repeat, so one run of each is enough; quick mode runs only those.
  const seeded = ['bs', 'cs', 'n', 'es'];
  const chosen = quick ? seeded : Object.keys(rows);
  try {
    /** @type {Record<string, number[]>} */
    const counts = Object.fromEntries(chosen.map((key) => [key, []]));
    for (let i = 0; i < runs; i++) {
      for (const key of chosen) {
        if (i === 0 || !seeded.includes(key)) counts[key]?.push(instructions(rows[key]?.argv ?? []));
      }
    }
    const m = (/** @type {string} */ key) => median(counts[key] ?? []);
    // Below a million (the native rows), three places: 0.089 M is 89 thousand.
    const mega = (/** @type {number} */ n) => fixed(n / 1e6, Math.abs(n) < 1e6 ? 3 : 1);
    const body = chosen.map((key) => {
      const values = counts[key] ?? [];
      return [rows[key]?.label ?? key, mega(m(key)), `${mega(Math.min(...values))}–${mega(Math.max(...values))}`];
    });
    /** @type {[string, string, string][]} */
    const pairs = [
      ['c', 'b', 'target for wall time: ≤ 1.25×'],
      ['cs', 'bs', 'seeded: the difference is what the CLI adds'],
      ['n', 'es', 'native against the static C client: what the contract costs'],
      ['c', 'n', 'the Node CLI against the native binary'],
    ];
    const ratios = pairs
      .filter(([x, y]) => counts[x] && counts[y])
      .map(([x, y, meaning]) => [
        `${x}/${y}`,
        `${fixed(m(x) / m(y), 3)}×`,
        `${m(x) > m(y) ? '+' : ''}${mega(m(x) - m(y))} M`,
        meaning,
      ]);
    const text = [
      `5. Instructions of one cold-start probe (callgrind, all threads, ASLR off; median of ${runs}, seeded rows once)`,
      '',
      table(['command', 'M instructions', 'range'], body),
      '',
      table(['ratio', 'instructions', 'difference', 'meaning'], ratios, [0, 3]),
    ].join('\n');
    return { text, counts };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
