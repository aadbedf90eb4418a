/**
 * 1. Cold start of one healthy probe: wall time, CPU time and peak RSS of a whole process,
 * from spawn to exit. The healthsock CLI for each kind of target, next to the smallest Node
 * client that does the same job and to the runtime's floor; the native binary for each target;
 * curl; and a C client, built by gcc and as the native binary is (static musl). Every sample
 * comes from bench/coldstart/measure.c, which spawns the command once and reads its rusage.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { alternate, fixed, median, percentile, ratio, table } from '../lib/stats.js';
import {
  BENCH,
  ROOT,
  benchEnv,
  compile,
  hasHttpTransport,
  installAsCommand,
  socketDir,
  startServer,
} from '../lib/setup.js';

/** The native healthsock for this machine, as scripts/build-native.sh builds it. */
export const NATIVE = join(ROOT, 'build', 'native', `healthsock-linux-${arch() === 'arm64' ? 'arm64' : 'x64'}`);

/**
 * The C floor client built the way the native binary is (static musl, -Os, stripped), so that
 * the two differ only in what their code does; undefined without musl-gcc.
 */
export function staticCClient() {
  try {
    execFileSync('musl-gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return compile('coldstart/client.c', 'client-static', ['-static', '-Os', '-s']);
}

/** The native binaries' sizes, for the report: "x64 229.2 KiB, arm64 257.1 KiB". */
export function nativeSizes() {
  return ['x64', 'arm64']
    .map((name) => join(ROOT, 'build', 'native', `healthsock-linux-${name}`))
    .filter((file) => existsSync(file))
    .map((file) => `${file.split('-').pop()} ${(statSync(file).size / 1024).toFixed(1)} KiB`)
    .join(', ');
}

/** @typedef {{ label: string, argv: string[], before?: () => void }} Row */

/**
 * @param {{ app: string, rounds: number, compareCli?: string | undefined, compareBinary?: string | undefined }} options
 *   app: a user-like install (installLikeAUser); compareCli: another build of the CLI's
 *   bin.cjs to measure alongside, installed the same way (row c′); compareBinary: another
 *   single binary (row d′)
 */
export async function coldStart({ app, rounds, compareCli, compareBinary }) {
  const measure = compile('coldstart/measure.c', 'measure');
  const cClient = compile('coldstart/client.c', 'client');
  const cStatic = staticCClient();
  const dir = socketDir();
  const socket = join(dir, 'health.sock');
  const server = await startServer('healthsock.js', socket);
  // healthsock's own HTTP endpoint; a build without the HTTP transport gets node:http's instead.
  const ownHttp = hasHttpTransport();
  const httpServer = ownHttp
    ? await startServer('healthsock.js', 'tcp')
    : await startServer('http.js', 'tcp', { HS_BENCH_CHECKS: '5' });
  const port = httpServer.address.split(':').pop();
  // The gRPC transport; a build without it has no grpc:// row.
  const grpcServer = await startServer('healthsock.js', 'grpc').catch(() => undefined);
  const grpcPort = grpcServer?.address.split(':').pop();
  const url = `http://127.0.0.1:${port}${ownHttp ? '/livez' : '/healthz'}`;
  const heartbeat = join(dir, 'heartbeat');
  writeFileSync(heartbeat, '{"v":1,"probe":"liveness","status":"healthy","durationMs":0.1,"checks":[]}\n');
  const env = benchEnv();
  const healthsock = join(app, 'node_modules', '.bin', 'healthsock');

  /** @type {Record<string, Row>} */
  const all = {
    a: { label: 'a. node -e 0', argv: [process.execPath, '-e', '0'] },
    b: {
      label: 'b. raw net client',
      argv: [process.execPath, join(BENCH, 'coldstart', 'rawClient.cjs'), socket],
    },
    c: { label: 'c. healthsock (unix socket)', argv: [healthsock, '-s', socket] },
    ch: { label: 'ch. healthsock http://', argv: [healthsock, 'liveness', ownHttp ? `http://127.0.0.1:${port}` : url] },
    ct: { label: `ct. healthsock tcp://`, argv: [healthsock, 'liveness', `tcp://127.0.0.1:${port}`] },
    // A longer deadline than the default 800 ms: its first HTTP/2 exchange must not fail a busy CI machine's run.
    cg: {
      label: 'cg. healthsock grpc://',
      argv: [healthsock, 'liveness', `grpc://127.0.0.1:${grpcPort ?? 1}`, '--timeout', '5s'],
    },
    cf: {
      label: 'cf. healthsock file:',
      argv: [healthsock, 'liveness', `file:${heartbeat}`],
      before: () => utimesSync(heartbeat, new Date(), new Date()),
    },
    h: {
      label: 'h. raw http.get client',
      argv: [process.execPath, join(BENCH, 'coldstart', 'rawHttpClient.cjs'), url],
    },
    k: { label: 'k. curl http://', argv: ['curl', '-fsS', '-o', '/dev/null', url] },
    e: { label: 'e. C client', argv: [cClient, socket] },
    es: { label: 'es. C client, static musl -Os', argv: [cStatic ?? '', socket] },
    n: { label: 'n. native healthsock (unix socket)', argv: [NATIVE, '-s', socket] },
    nh: { label: 'nh. native http://', argv: [NATIVE, 'liveness', ownHttp ? `http://127.0.0.1:${port}` : url] },
    nt: { label: 'nt. native tcp://', argv: [NATIVE, 'liveness', `tcp://127.0.0.1:${port}`] },
    nf: {
      label: 'nf. native file:',
      argv: [NATIVE, 'liveness', `file:${heartbeat}`],
      before: () => utimesSync(heartbeat, new Date(), new Date()),
    },
  };
  if (compareBinary) all["n'"] = { label: `n′. ${compareBinary}`, argv: [compareBinary, '-s', socket] };
  if (compareCli) {
    all["c'"] = {
      label: `c′. ${compareCli}`,
      argv: [installAsCommand(app, compareCli, 'healthsock-compare'), '-s', socket],
    };
  }

  /** @type {Record<string, Row>} */
  const rows = {};
  /** @param {Row} row */
  const run = (row) => {
    row.before?.();
    const result = spawnSync(measure, row.argv, { env, encoding: 'utf8' });
    const [code, wallUs, cpuUs, rssKiB] = result.stdout.trim().split(' ').map(Number);
    return { code, wallMs: Number(wallUs) / 1000, cpuMs: Number(cpuUs) / 1000, rssMiB: Number(rssKiB) / 1024 };
  };
  // Rows this machine or this build cannot run are left out, and said so.
  /** @type {string[]} */
  const missing = [];
  for (const [key, row] of Object.entries(all)) {
    const reason =
      row.argv[0] === ''
        ? 'no musl-gcc (apt-get install musl-tools)'
        : row.argv[0] === NATIVE && !existsSync(NATIVE)
          ? 'not built: run pnpm build:native'
          : run(row).code !== 0
            ? 'failed: this build or machine cannot run it'
            : undefined;
    if (reason) missing.push(`${row.label}: ${reason}`);
    else rows[key] = row;
  }

  try {
    const variants = Object.fromEntries(
      Object.entries(rows).map(([key, row]) => [
        key,
        () => {
          const sample = run(row);
          if (sample.code !== 0) throw new Error(`cold start: ${row.argv.join(' ')} failed (exit ${sample.code})`);
          return sample;
        },
      ]),
    );
    await alternate(2, variants); // warm the page cache and the servers
    const samples = await alternate(rounds, variants);
    /** @type {Record<string, {wall: number, wallP90: number, cpu: number, rss: number}>} */
    const results = {};
    for (const [key, runs] of Object.entries(samples)) {
      const walls = runs.map((sample) => sample.wallMs);
      results[key] = {
        wall: median(walls),
        wallP90: percentile(walls, 90),
        cpu: median(runs.map((sample) => sample.cpuMs)),
        rss: median(runs.map((sample) => sample.rssMiB)),
      };
    }
    const get = (/** @type {string} */ key) => results[key] ?? { wall: NaN, wallP90: NaN, cpu: NaN, rss: NaN };
    const body = Object.entries(rows).map(([key, row]) => {
      const r = get(key);
      return [row.label, fixed(r.wall), fixed(r.wallP90), fixed(r.cpu), fixed(r.rss)];
    });
    /** @type {[string, string, string][]} numerator, denominator, target */
    const pairs = [
      ['c', 'b', 'wall ≤ 1.25× (aim 1.0×), RSS ≤ 1.10×'],
      ['c', 'a', ''],
      ['ch', 'h', 'an http:// probe against the raw http.get client'],
      ['ch', 'k', 'an http:// probe against curl'],
      ['ct', 'b', ''],
      ['cg', 'ct', 'a grpc:// probe (HTTP/2, a Check call) against a tcp:// connect'],
      ['cg', 'b', ''],
      ['cf', 'b', ''],
      ['b', 'e', 'how far Node is from C'],
      ['n', 'es', 'native: wall and CPU ≤ 2×, RSS ≤ 2 MiB'],
      ['n', 'e', 'native against the dynamically linked C client'],
      ['n', 'c', 'native against the Node CLI'],
      ['nh', 'k', 'a native http:// probe against curl'],
      ['nh', 'ch', 'native http:// against the Node CLI'],
      ["c'", 'b', 'another build (--compare-cli)'],
      ["n'", 'es', 'another native binary (--compare-binary)'],
    ];
    const ratios = pairs
      .filter(([x, y]) => results[x] && results[y])
      .map(([x, y, target]) => {
        const [p, q] = [get(x), get(y)];
        return [`${x.replace("'", '′')}/${y}`, ratio(p.wall, q.wall), ratio(p.cpu, q.cpu), ratio(p.rss, q.rss), target];
      });
    const text = [
      `1. Cold start of one healthy liveness probe (${rounds} rounds, alternating; medians)`,
      '',
      `Node ${process.version} unless the row says otherwise. @healthsock/server with 5 checks serves the socket, and`,
      `in another process ${ownHttp ? 'its' : 'node:http serves'} HTTP endpoint (${url}); tcp:// connects to that port;`,
      `grpc:// calls Health/Check (service liveness) on its gRPC transport, in a third process.`,
      '',
      table(['command', 'wall p50 ms', 'wall p90 ms', 'CPU ms', 'peak RSS MiB'], body),
      ...(missing.length ? ['', 'Not measured:', ...missing.map((line) => `- ${line}`)] : []),
      ...(existsSync(NATIVE) ? ['', `native binary file size: ${nativeSizes()} (static, stripped, TLS included)`] : []),
      '',
      table(['ratio', 'wall', 'CPU', 'peak RSS', 'target or meaning'], ratios, [0, 4]),
    ].join('\n');
    return { text, results };
  } finally {
    await server.stop();
    await httpServer.stop();
    await grpcServer?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
