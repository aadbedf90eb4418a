/**
 * 2 and 3. Servers under load: probes per second, latency and server CPU at 1, 16 and 64
 * concurrent clients, one probe being connect, request, reply, close (a new connection per
 * probe, as kubelet and exec probes make them). Table 2 is the Unix socket: healthsock against
 * a raw `net` server and `node:http`. Table 3 is HTTP on 127.0.0.1: healthsock's HTTP transport
 * against `node:http`, @godaddy/terminus and lightship. Every server does the same work, the
 * no-op checks of bench/servers/checks.js. The load comes from bench/load/loadgen.c, a separate
 * process; each server runs in its own process too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, fixed, median, ratio, table } from '../lib/stats.js';
import { compile, hasHttpTransport, socketDir, startServer } from '../lib/setup.js';

export const CONCURRENCY = [1, 16, 64];

/** kubelet's httpGet request, as it sends it (`Connection: close`, one request per connection). */
export const httpRequest = (/** @type {string} */ path) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kube-probe/1.31\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
const HTTP_OK = 'HTTP/1.1 200';
const HEALTHSOCK_OK = '{"v":1,"probe":"readiness","status":"healthy"';

/**
 * @typedef {{ label: string, script: string, where: 'unix' | 'tcp', request: string, expect: string,
 *   env?: Record<string, string> }} Variant
 */

/** @param {number} checks */
const withChecks = (checks) => ({ HS_BENCH_CHECKS: String(checks) });

/** @param {string | undefined} compareServer @returns {Record<string, Variant>} */
function socketVariants(compareServer) {
  const unix = /** @type {const} */ ('unix');
  /** @type {Record<string, Variant>} */
  const variants = {
    a: { label: 'a. raw net server', script: 'raw.js', where: unix, request: 'readiness\n', expect: '0' },
    b0: {
      label: 'b0. @healthsock/server, 0 checks',
      script: 'healthsock.js',
      where: unix,
      request: 'readiness\n',
      expect: HEALTHSOCK_OK,
      env: withChecks(0),
    },
    b: {
      label: 'b. @healthsock/server, 5 checks',
      script: 'healthsock.js',
      where: unix,
      request: 'readiness\n',
      expect: HEALTHSOCK_OK,
      env: withChecks(5),
    },
    c0: {
      label: 'c0. node:http, 0 checks',
      script: 'http.js',
      where: unix,
      request: httpRequest('/healthz'),
      expect: HTTP_OK,
      env: withChecks(0),
    },
    c: {
      label: 'c. node:http, 5 checks',
      script: 'http.js',
      where: unix,
      request: httpRequest('/healthz'),
      expect: HTTP_OK,
      env: withChecks(5),
    },
  };
  if (compareServer && variants.b) {
    variants["b'"] = {
      ...variants.b,
      label: `b′. ${compareServer}, 5 checks`,
      env: { ...withChecks(5), HS_BENCH_SERVER_ENTRY: pathToFileURL(compareServer).href },
    };
  }
  return variants;
}

/** @returns {Record<string, Variant>} */
function httpVariants() {
  const tcp = /** @type {const} */ ('tcp');
  /** @type {Record<string, Variant>} */
  const variants = {
    f: {
      label: 'f. raw net, fixed 200',
      script: 'raw.js',
      where: tcp,
      request: httpRequest('/healthz'),
      expect: HTTP_OK,
    },
  };
  const http = hasHttpTransport();
  for (const checks of [0, 5]) {
    if (http) {
      variants[`h${checks}`] = {
        label: `h${checks}. @healthsock/server HTTP, ${checks} checks`,
        script: 'healthsock.js',
        where: tcp,
        request: httpRequest('/readyz'),
        expect: HTTP_OK,
        env: withChecks(checks),
      };
    }
    variants[`g${checks}`] = {
      label: `g${checks}. node:http, ${checks} checks`,
      script: 'http.js',
      where: tcp,
      request: httpRequest('/healthz'),
      expect: HTTP_OK,
      env: withChecks(checks),
    };
    variants[`t${checks}`] = {
      label: `t${checks}. @godaddy/terminus, ${checks} checks`,
      script: 'terminus.js',
      where: tcp,
      request: httpRequest('/healthz'),
      expect: HTTP_OK,
      env: withChecks(checks),
    };
  }
  variants.l = {
    label: 'l. lightship /live (a flag)',
    script: 'lightship.js',
    where: tcp,
    request: httpRequest('/live'),
    expect: HTTP_OK,
  };
  variants.lr = {
    label: 'lr. lightship /ready (a flag)',
    script: 'lightship.js',
    where: tcp,
    request: httpRequest('/ready'),
    expect: HTTP_OK,
  };
  return variants;
}

/** CPU time a process has used so far, in ms, from /proc. @param {number} pid */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ = 100
}

/**
 * @typedef {{ perSecond: number, p50: number, p99: number, cpuUsPerProbe: number }} Cell
 */

/**
 * Starts every variant's server, drives each with `clients` at every concurrency, alternating
 * the servers round by round, and returns the medians per concurrency and variant.
 *
 * @param {Record<string, Variant>} variants
 * @param {{ rounds: number, seconds: number }} options
 * @returns {Promise<Record<number, Record<string, Cell>>>}
 */
async function measure(variants, { rounds, seconds }) {
  const loadgen = compile('load/loadgen.c', 'loadgen', ['-pthread']);
  const dir = socketDir();
  /** @type {Record<string, Awaited<ReturnType<typeof startServer>>>} */
  const servers = {};
  try {
    for (const [key, variant] of Object.entries(variants)) {
      const where = variant.where === 'tcp' ? 'tcp' : join(dir, `${key.replace("'", '2')}.sock`);
      servers[key] = await startServer(variant.script, where, variant.env);
    }
    const drive = (/** @type {string} */ key, /** @type {number} */ clients, /** @type {number} */ ms) => {
      const variant = variants[key];
      const server = servers[key];
      if (!variant || !server) throw new Error(`no server ${key}`);
      const cpuBefore = cpuMsOf(server.pid);
      const output = execFileSync(
        loadgen,
        [server.address, String(clients), String(Math.round(ms)), variant.request, variant.expect],
        { encoding: 'utf8' },
      );
      const result = JSON.parse(output);
      if (result.errors > 0 || result.probes === 0) {
        throw new Error(
          `server load: ${variant.label} failed ${result.errors} of ${result.errors + result.probes} probes`,
        );
      }
      return {
        perSecond: result.probes / result.seconds,
        p50: result.p50_us / 1000,
        p99: result.p99_us / 1000,
        cpuUsPerProbe: ((cpuMsOf(server.pid) - cpuBefore) * 1000) / result.probes,
      };
    };

    // Let each server's JIT warm up before anything counts.
    for (const key of Object.keys(variants)) drive(key, 16, 400);

    /** @type {Record<number, Record<string, Cell>>} */
    const results = {};
    for (const clients of CONCURRENCY) {
      const samples = await alternate(
        rounds,
        Object.fromEntries(Object.keys(variants).map((key) => [key, () => drive(key, clients, seconds * 1000)])),
      );
      results[clients] = Object.fromEntries(
        Object.entries(samples).map(([key, runs]) => [
          key,
          {
            perSecond: median(runs.map((run) => run.perSecond)),
            p50: median(runs.map((run) => run.p50)),
            p99: median(runs.map((run) => run.p99)),
            cpuUsPerProbe: median(runs.map((run) => run.cpuUsPerProbe)),
          },
        ]),
      );
    }
    return results;
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The results as a table: one row per concurrency and variant.
 *
 * @param {Record<string, Variant>} variants @param {Record<number, Record<string, Cell>>} results
 */
function resultTable(variants, results) {
  const body = [];
  for (const clients of CONCURRENCY) {
    for (const [key, variant] of Object.entries(variants)) {
      const cell = results[clients]?.[key];
      if (!cell) continue;
      body.push([
        String(clients),
        variant.label,
        fixed(cell.perSecond, 0),
        fixed(cell.p50, 2),
        fixed(cell.p99, 2),
        fixed(cell.cpuUsPerProbe, 0),
      ]);
    }
  }
  return table(['clients', 'server', 'probes/s', 'p50 ms', 'p99 ms', 'server CPU µs/probe'], body, 2);
}

/**
 * Throughput ratios per concurrency, as a table: one column per [numerator, denominator] pair.
 *
 * @param {Record<number, Record<string, Cell>>} results @param {[string, string][]} pairs
 */
function ratioTable(results, pairs) {
  const present = pairs.filter(([x, y]) => results[CONCURRENCY[0] ?? 1]?.[x] && results[CONCURRENCY[0] ?? 1]?.[y]);
  const rows = CONCURRENCY.map((clients) => [
    String(clients),
    ...present.map(([x, y]) => ratio(results[clients]?.[x]?.perSecond ?? NaN, results[clients]?.[y]?.perSecond ?? NaN)),
  ]);
  return table(['clients', ...present.map(([x, y]) => `${x.replace("'", '′')}/${y}`)], rows);
}

/**
 * @param {{ rounds: number, seconds: number, compareServer?: string | undefined }} options
 *   compareServer: the entry module of another build of @healthsock/server, measured as row b′
 */
export async function serverLoad({ rounds, seconds, compareServer }) {
  const socket = socketVariants(compareServer);
  const socketResults = await measure(socket, { rounds, seconds });
  const socketPairs = /** @type {[string, string][]} */ ([
    ['b', 'a'],
    ['b', 'c'],
    ['b0', 'a'],
    ['b0', 'c0'],
    ...(compareServer
      ? [
          ["b'", 'a'],
          ["b'", 'c'],
        ]
      : []),
  ]);
  const http = httpVariants();
  const httpResults = await measure(http, { rounds, seconds });
  const httpPairs = /** @type {[string, string][]} */ ([
    ['h0', 'g0'],
    ['h5', 'g5'],
    ['h0', 't0'],
    ['h5', 't5'],
    ['h0', 'l'],
    ['h5', 'l'],
    ['g0', 'f'],
  ]);
  const socketText = [
    `2. The Unix socket under load (${rounds} rounds of ${seconds} s per cell, alternating; medians)`,
    '',
    resultTable(socket, socketResults),
    '',
    'Throughput ratios (targets: b/a ≥ 0.80×, b/c ≥ 1.50×; p99 of b at 64 clients ≤ 5 ms):',
    '',
    ratioTable(socketResults, socketPairs),
  ].join('\n');
  const httpText = [
    `3. HTTP endpoints on 127.0.0.1 under load (${rounds} rounds of ${seconds} s per cell, alternating; medians)`,
    '',
    resultTable(http, httpResults),
    '',
    "Throughput ratios (targets: healthsock's HTTP transport ≥ 1.00× node:http, ahead of terminus and lightship):",
    '',
    ratioTable(httpResults, httpPairs),
  ].join('\n');
  return { socketText, httpText, results: { socket: socketResults, http: httpResults } };
}
