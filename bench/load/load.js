/**
 * 2. The server under load: probes per second and latency at 1, 16 and 64 concurrent clients
 * over a Unix socket, one probe being connect, request, reply, close. The load comes from
 * bench/load/loadgen.c, a separate process; each server runs in its own process too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, fixed, median, ratio, table } from '../lib/stats.js';
import { compile, socketDir, startServer } from '../lib/setup.js';

/** What each server is asked, and how its good replies begin. */
const SERVERS = {
  a: { label: 'a. raw net server', script: 'raw.js', request: 'liveness\n', expect: '0' },
  b: {
    label: 'b. @healthsock/server, 5 checks',
    script: 'healthsock.js',
    request: 'readiness\n',
    expect: '{"v":1,"probe":"readiness","status":"healthy"',
  },
  c: {
    label: 'c. node:http GET /healthz',
    script: 'http.js',
    request: 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    expect: 'HTTP/1.1 200',
  },
};
export const CONCURRENCY = [1, 16, 64];

/** CPU time a process has used so far, in ms, from /proc. @param {number} pid */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ = 100
}

/**
 * @param {{ rounds: number, seconds: number, compareServer?: string | undefined }} options
 *   compareServer: the entry module of another build of @healthsock/server, measured as row b′
 */
export async function serverLoad({ rounds, seconds, compareServer }) {
  const loadgen = compile('load/loadgen.c', 'loadgen', ['-pthread']);
  const dir = socketDir();
  /** @type {Record<string, {label: string, script: string, request: string, expect: string, env?: Record<string, string>}>} */
  const variants = { ...SERVERS };
  if (compareServer) {
    variants["b'"] = {
      ...SERVERS.b,
      label: `b′. ${compareServer}, 5 checks`,
      env: { HS_BENCH_SERVER_ENTRY: pathToFileURL(compareServer).href },
    };
  }
  /** @type {Record<string, Awaited<ReturnType<typeof startServer>> & { socket: string }>} */
  const servers = {};
  try {
    for (const [key, server] of Object.entries(variants)) {
      const socket = join(dir, `${key.replace("'", '2')}.sock`);
      servers[key] = { ...(await startServer(server.script, socket, server.env)), socket };
    }
    const drive = (/** @type {string} */ key, /** @type {number} */ clients, /** @type {number} */ ms) => {
      const server = variants[key];
      const running = servers[key];
      if (!server || !running) throw new Error(`no server ${key}`);
      const cpuBefore = cpuMsOf(running.pid);
      const output = execFileSync(
        loadgen,
        [running.socket, String(clients), String(ms), server.request, server.expect],
        {
          encoding: 'utf8',
        },
      );
      const result = JSON.parse(output);
      if (result.errors > 0 || result.probes === 0) {
        throw new Error(
          `server load: ${server.label} failed ${result.errors} of ${result.errors + result.probes} probes`,
        );
      }
      return {
        perSecond: result.probes / result.seconds,
        p50: result.p50_us / 1000,
        p99: result.p99_us / 1000,
        cpuUsPerProbe: ((cpuMsOf(running.pid) - cpuBefore) * 1000) / result.probes,
      };
    };

    // Let each server's JIT warm up before anything counts.
    for (const key of Object.keys(variants)) drive(key, 16, 500);

    /** @type {Record<number, Record<string, ReturnType<typeof drive>[]>>} */
    const byConcurrency = {};
    for (const clients of CONCURRENCY) {
      byConcurrency[clients] = await alternate(
        rounds,
        Object.fromEntries(Object.keys(variants).map((key) => [key, () => drive(key, clients, seconds * 1000)])),
      );
    }

    /** @type {Record<number, Record<string, {perSecond: number, p50: number, p99: number, cpuUsPerProbe: number}>>} */
    const results = {};
    const body = [];
    for (const clients of CONCURRENCY) {
      results[clients] = {};
      for (const [key, server] of Object.entries(variants)) {
        const runs = byConcurrency[clients]?.[key] ?? [];
        const summary = {
          perSecond: median(runs.map((run) => run.perSecond)),
          p50: median(runs.map((run) => run.p50)),
          p99: median(runs.map((run) => run.p99)),
          cpuUsPerProbe: median(runs.map((run) => run.cpuUsPerProbe)),
        };
        results[clients][key] = summary;
        body.push([
          String(clients),
          server.label,
          fixed(summary.perSecond, 0),
          fixed(summary.p50, 2),
          fixed(summary.p99, 2),
          fixed(summary.cpuUsPerProbe, 0),
        ]);
      }
    }
    const ratios = CONCURRENCY.map((clients) => {
      const at = results[clients] ?? {};
      const [a, b, c, b2] = ['a', 'b', 'c', "b'"].map((key) => at[key]?.perSecond ?? NaN);
      const compared = compareServer ? `; b′/a ${ratio(b2 ?? NaN, a ?? NaN)}, b′/c ${ratio(b2 ?? NaN, c ?? NaN)}` : '';
      return `${String(clients).padStart(2)} clients: b/a ${ratio(b ?? NaN, a ?? NaN)}, b/c ${ratio(b ?? NaN, c ?? NaN)}${compared}`;
    });
    const text = [
      `2. Server under load over a Unix socket (${rounds} rounds of ${seconds} s per cell, alternating; medians)`,
      '',
      table(['clients', 'server', 'probes/s', 'p50 ms', 'p99 ms', 'server CPU µs/probe'], body, 2),
      '',
      'Throughput ratios (targets: b/a ≥ 0.80×, b/c ≥ 1.50×, p99 of b at 64 clients ≤ 5 ms):',
      ...ratios,
    ].join('\n');
    return { text, results };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
