// /metrics end to end: a real worker process, curl over TCP and over the Unix socket, the CLI, the
// HTTP paths and a monitor as the sources of evaluation, and promtool judging the exposition.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseExposition } from './helpers/exposition.js';
import { run, runCli, type CheckSpec } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const sandbox = useSandbox();
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool && process.env.CI) throw new Error('the metrics tests must run in CI, but promtool is missing');

async function metricsWorker(checks: CheckSpec[], options: Record<string, unknown> = {}) {
  const { http = {}, ...extra } = options;
  const worker = await sandbox.worker(sandbox.socket, checks, {
    env: {
      HS_OPTIONS: JSON.stringify({
        http: { port: 0, host: '127.0.0.1', metrics: true, ...(http as object) },
        ...extra,
      }),
    },
  });
  expect(worker.status).toBe('listening');
  const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).http as number;
  const get = (path: string, args: string[] = []) =>
    run('curl', ['-s', '--max-time', '5', ...args, `http://127.0.0.1:${port}${path}`]);
  /** The HTTP status code of a request to `path`. */
  const code = async (path: string, args: string[] = []) =>
    (await get(path, [...args, '-o', '/dev/null', '-w', '%{http_code}'])).stdout;
  const scrape = async () => {
    const result = await get('/metrics', ['-i']);
    const [head = '', body = ''] = result.stdout.split('\r\n\r\n');
    return { head, body, samples: parseExposition(body) };
  };
  const runs = async (name: string) => {
    worker.send(`runs ${name}`);
    return Number((await worker.nextLine('runs')).slice('runs '.length));
  };
  const set = async (name: string, behaviour: string) => {
    worker.send(`set ${name} ${behaviour}`);
    await worker.nextLine('set');
  };
  return { worker, code, scrape, runs, set };
}

const CHECKS: CheckSpec[] = [
  { name: 'loop', probes: ['liveness'], behaviour: 'pass' },
  { name: 'db', probes: ['startup', 'readiness'], behaviour: 'fail' },
  { name: 'cache', probes: ['readiness'], behaviour: 'degraded' },
];

/** Runs `promtool check metrics` on `text`, as Prometheus's own linter. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('/metrics', () => {
  it('serves the text format 0.0.4 with # HELP and # TYPE, and no series before any evaluation', async () => {
    const { scrape } = await metricsWorker(CHECKS);
    const { head, body, samples } = await scrape();
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toMatch(/\r\ncontent-type: text\/plain; version=0\.0\.4; charset=utf-8\r\n/i);
    for (const name of [
      'healthsock_check_status',
      'healthsock_check_duration_seconds',
      'healthsock_check_last_success_timestamp_seconds',
      'healthsock_probe_status',
    ]) {
      expect(body).toContain(`# HELP ${name} `);
      expect(body).toContain(`# TYPE ${name} gauge\n`);
    }
    expect(body).toContain('# TYPE healthsock_probe_evaluations_total counter\n');
    // Never evaluated: absent, not 0.
    expect(samples.size).toBe(0);
  });

  it('shows what the CLI on the socket and kubelet over HTTP evaluated; a scrape never runs a check', async () => {
    const { code, scrape, runs, set } = await metricsWorker(CHECKS);
    const before = Date.now() / 1000;
    expect((await runCli(['readiness', '-s', sandbox.socket])).code).toBe(1);
    let { samples } = await scrape();
    expect(samples.get('healthsock_check_status{check="db",probe="readiness"}')).toBe(0);
    expect(samples.get('healthsock_check_status{check="cache",probe="readiness"}')).toBe(0.5);
    expect(samples.get('healthsock_probe_status{probe="readiness"}')).toBe(0);
    expect(samples.get('healthsock_probe_evaluations_total{probe="readiness",result="unhealthy"}')).toBe(1);
    expect(samples.get('healthsock_probe_evaluations_total{probe="readiness",result="healthy"}')).toBe(0);
    const cacheSuccess = samples.get(
      'healthsock_check_last_success_timestamp_seconds{check="cache",probe="readiness"}',
    );
    expect(cacheSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(cacheSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    // db never passed, so it has no last success at all.
    expect(samples.has('healthsock_check_last_success_timestamp_seconds{check="db",probe="readiness"}')).toBe(false);
    expect(samples.get('healthsock_check_duration_seconds{check="db",probe="readiness"}')).toBeGreaterThanOrEqual(0);
    // Liveness and startup were never asked: nothing of them.
    expect([...samples.keys()].filter((key) => /probe="(liveness|startup)"/.test(key))).toEqual([]);

    const dbRuns = await runs('db');
    for (let i = 0; i < 5; i++) await scrape();
    expect(await runs('db')).toBe(dbRuns);

    await set('db', 'pass');
    expect(await code('/readyz')).toBe('200');
    ({ samples } = await scrape());
    expect(samples.get('healthsock_check_status{check="db",probe="readiness"}')).toBe(1);
    expect(samples.get('healthsock_probe_status{probe="readiness"}')).toBe(0.5);
    expect(samples.get('healthsock_probe_evaluations_total{probe="readiness",result="degraded"}')).toBe(1);
    expect(
      samples.get('healthsock_check_last_success_timestamp_seconds{check="db",probe="readiness"}'),
    ).toBeGreaterThanOrEqual(Math.floor(before));

    // One check asked alone is that check's latest result, but not the probe's status.
    await set('db', 'fail');
    expect(await code('/readyz/db')).toBe('503');
    ({ samples } = await scrape());
    expect(Object.fromEntries(samples)).toMatchObject({
      'healthsock_check_status{check="db",probe="readiness"}': 0,
      'healthsock_probe_status{probe="readiness"}': 0.5,
      'healthsock_probe_evaluations_total{probe="readiness",result="unhealthy"}': 1,
    });
  });

  it('shows what a monitor evaluated with no request at all: the TCP gate on startup', async () => {
    const { scrape } = await metricsWorker(CHECKS, {
      tcp: { port: 0, host: '127.0.0.1', probe: 'startup', intervalMs: 100 },
    });
    let samples = new Map<string, number>();
    for (let i = 0; i < 50 && !samples.has('healthsock_probe_status{probe="startup"}'); i++) {
      ({ samples } = await scrape());
    }
    expect(samples.get('healthsock_probe_status{probe="startup"}')).toBe(0);
    expect(samples.get('healthsock_check_status{check="db",probe="startup"}')).toBe(0);
  });

  it('never holds a message, even where messages are shown, and also answers on the Unix socket', async () => {
    const { scrape } = await metricsWorker(CHECKS, { http: { details: true } });
    // The socket shows the message to this local client; the metrics never do.
    const probed = await runCli(['readiness', '-v', '-s', sandbox.socket]);
    expect(probed.stdout + probed.stderr).toMatch(/db is down/);
    const { body } = await scrape();
    expect(body).toContain('healthsock_check_status{probe="readiness",check="db"} 0');
    expect(body).not.toMatch(/is down|is slow/);
    const overSocket = await run('curl', [
      '-s',
      '--max-time',
      '5',
      '--unix-socket',
      sandbox.socket,
      'http://localhost/metrics',
    ]);
    expect(parseExposition(overSocket.stdout)).toEqual(parseExposition(body));
  });

  it('answers GET and HEAD only, and is not there when metrics are off', async () => {
    const { code } = await metricsWorker(CHECKS);
    expect(await code('/metrics', ['-X', 'POST'])).toBe('405');
    expect(await code('/metrics', ['-I'])).toBe('200');
    const off = await sandbox.worker(`${sandbox.dir}/off.sock`, CHECKS, {
      env: { HS_OPTIONS: JSON.stringify({ http: { port: 0, host: '127.0.0.1' } }) },
    });
    const port = JSON.parse((await off.nextLine('ports')).slice('ports '.length)).http as number;
    const result = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `http://127.0.0.1:${port}/metrics`,
    ]);
    expect(result.stdout).toBe('404');
  });

  it.skipIf(!hasPromtool)('is accepted by promtool check metrics', async () => {
    const { scrape, set } = await metricsWorker([
      ...CHECKS,
      { name: 'name with "quotes" and \\', probes: ['liveness', 'readiness'], behaviour: 'pass' },
    ]);
    for (const probe of ['liveness', 'readiness', 'startup']) await runCli([probe, '-s', sandbox.socket]);
    await set('db', 'pass');
    await runCli(['readiness', '-s', sandbox.socket]);
    const { body, samples } = await scrape();
    expect(samples.size).toBeGreaterThan(20);
    const verdict = await promtoolCheck(body);
    expect(verdict.output).toBe('');
    expect(verdict.code).toBe(0);
    // promtool does judge: a counter without _total is refused.
    const bad = await promtoolCheck('# HELP x_count A count.\n# TYPE x_count counter\nx_count 1\n');
    expect(bad.code).not.toBe(0);
  });
});
