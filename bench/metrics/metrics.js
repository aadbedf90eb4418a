/**
 * 7. What a scrape of /metrics costs the worker: the CPU time of its process per scrape, with
 * 100 checks (200 check series per family), against a /livez probe of one check over the same
 * HTTP transport. A scrape reads the latest results and runs no check, so what it adds to an
 * HTTP request is the formatting of the series.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fixed, median, table } from '../lib/stats.js';
import { BENCH, benchEnv } from '../lib/setup.js';

/** One GET, read to the end. @param {number} port @param {string} path */
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

/** @param {{ rounds: number, scrapes: number, checks?: number }} options */
export async function metricsCost({ rounds, scrapes, checks = 100 }) {
  const child = spawn(process.execPath, [join(BENCH, 'metrics', 'worker.js'), String(checks)], {
    env: benchEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => Number((await lines.next()).value);
  try {
    const port = await next();
    const cpu = async () => {
      child.stdin.write('cpu\n');
      return next();
    };
    /** CPU µs of the worker per request to `path`, over `scrapes` requests one after another. */
    const perRequest = async (/** @type {string} */ path) => {
      const before = await cpu();
      for (let i = 0; i < scrapes; i++) await get(port, path);
      return ((await cpu()) - before) / scrapes;
    };
    await perRequest('/metrics');
    await perRequest('/livez');
    /** @type {{ metrics: number[], livez: number[] }} */
    const runs = { metrics: [], livez: [] };
    for (let round = 0; round < rounds; round++) {
      runs.metrics.push(await perRequest('/metrics'));
      runs.livez.push(await perRequest('/livez'));
    }
    const scrape = median(runs.metrics) / 1000;
    const livez = median(runs.livez) / 1000;
    const text = [
      `7. What a /metrics scrape costs the worker (${rounds} rounds of ${scrapes} requests, alternating; medians)`,
      '',
      table(
        ['measure', 'result', 'context'],
        [
          [
            `/metrics, ${checks} checks`,
            `${fixed(scrape, 3)} ms CPU per scrape (target < 1 ms)`,
            `a /livez probe of 1 check on the same port: ${fixed(livez, 3)} ms; so the series cost ${fixed(scrape - livez, 3)} ms`,
          ],
        ],
        3,
      ),
    ].join('\n');
    return { text, results: runs };
  } finally {
    child.stdin.end('exit\n');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}
