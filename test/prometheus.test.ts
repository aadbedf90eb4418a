// A real Prometheus (Debian's package) scrapes a worker's /metrics, stores every series, and
// PromQL over its scrapes sees a check fail and recover. Under CI=true a missing Prometheus fails
// the suite rather than skipping it; .ci/run installs it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';
import { startPrometheus, prometheusProblem, type Prometheus } from './helpers/prometheus.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollFor } from './helpers/time.js';

const sandbox = useSandbox();
const problem = prometheusProblem();
if (problem && process.env.CI) throw new Error(`the Prometheus tests must run in CI, but ${problem}`);

const SCRAPE_MS = 250;
const DOC = readFileSync(new URL('../docs/metrics.md', import.meta.url), 'utf8');
/** The code blocks of docs/metrics.md in `language`. */
const blocks = (language: string) =>
  [...DOC.matchAll(new RegExp(`\`\`\`${language}\n([^]*?)\`\`\``, 'g'))].map((match) => match[1] ?? '');
const ALERT_RULES = blocks('yaml').find((block) => block.includes('alert: HealthCheckFailing'));
const ALERT_EXPR = /expr: (.+)\n/.exec(ALERT_RULES ?? '')?.[1];
let prometheus: Prometheus | undefined;
afterEach(async () => {
  await prometheus?.stop();
  prometheus = undefined;
});

describe.skipIf(problem)('a real Prometheus scraping /metrics', () => {
  it('stores every series, and PromQL sees a check go unhealthy and healthy again', { timeout: 45_000 }, async () => {
    // The TCP gate's monitor evaluates readiness every 100 ms, as kubelet would keep probing.
    const worker = await sandbox.worker(
      sandbox.socket,
      [
        { name: 'loop', probes: ['liveness'], behaviour: 'pass' },
        { name: 'db', probes: ['startup', 'readiness'], behaviour: 'pass' },
      ],
      {
        env: {
          HS_OPTIONS: JSON.stringify({
            http: { port: 0, host: '127.0.0.1', metrics: true },
            tcp: { port: 0, host: '127.0.0.1', probe: 'readiness', intervalMs: 100 },
            heartbeat: { path: `${sandbox.dir}/heartbeat`, probe: 'liveness', intervalMs: 100 },
          }),
        },
      },
    );
    expect(worker.status).toBe('listening');
    const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).http as number;
    const set = async (behaviour: string) => {
      worker.send(`set db ${behaviour}`);
      await worker.nextLine('set');
    };
    const start = Math.floor(Date.now() / 1000);
    prometheus = await startPrometheus(sandbox.dir, `127.0.0.1:${port}`, SCRAPE_MS);
    const server = prometheus;
    const db = 'healthsock_check_status{job="worker",probe="readiness",check="db"}';
    const dbStatus = async () => (await server.query(db))[0]?.value;

    expect(await pollFor(dbStatus, (value) => value === 1, { withinMs: 15_000, everyMs: 100 })).toBe(1);
    await set('fail');
    expect(await pollFor(dbStatus, (value) => value === 0, { withinMs: 15_000, everyMs: 100 })).toBe(0);
    // The docs' alert sees the failing check, and only it.
    const alerting = await server.query(`${ALERT_EXPR ?? 'no alert in docs/metrics.md'}`);
    expect(alerting.map(({ metric }) => `${metric.probe} ${metric.check}`)).toEqual(['readiness db']);
    await set('pass');
    expect(await pollFor(dbStatus, (value) => value === 1, { withinMs: 15_000, everyMs: 100 })).toBe(1);

    // Over the test's scrapes: healthy, then unhealthy, then healthy again.
    const [series] = await server.queryRange(db, start, Math.ceil(Date.now() / 1000), 0.1);
    const runs = (series?.values ?? []).filter((value, index, all) => index === 0 || all[index - 1] !== value);
    expect(runs).toEqual([1, 0, 1]);
    const [changes] = await server.query(`changes(${db}[5m])`);
    expect(changes?.value).toBe(2);
    const [failures] = await server.query(
      'healthsock_probe_evaluations_total{job="worker",probe="readiness",result="unhealthy"}',
    );
    expect(failures?.value).toBeGreaterThan(0);

    // Every series is stored, with the labels it was scraped with.
    const names = await server.query('group by (__name__) ({job="worker",__name__=~"healthsock_.+"})');
    expect(names.map(({ metric }) => metric.__name__).sort()).toEqual([
      'healthsock_check_duration_seconds',
      'healthsock_check_last_success_timestamp_seconds',
      'healthsock_check_status',
      'healthsock_probe_evaluations_total',
      'healthsock_probe_status',
    ]);
    const statuses = await server.query('healthsock_probe_status{job="worker"}');
    expect(statuses.map(({ metric }) => metric.probe).sort()).toEqual(['liveness', 'readiness']);
    const [lastSuccess] = await server.query(
      `time() - healthsock_check_last_success_timestamp_seconds{job="worker",check="db",probe="readiness"}`,
    );
    expect(lastSuccess?.value).toBeGreaterThanOrEqual(-1);
    expect(lastSuccess?.value).toBeLessThan(30);
    const [up] = await server.query('up{job="worker"}');
    expect(up?.value).toBe(1);

    // Every query in the docs runs against these scrapes; the dashboard's sees the readiness checks.
    const queries = blocks('promql');
    expect(queries.length).toBeGreaterThanOrEqual(3);
    for (const query of queries) await server.query(query.trim());
    const share = await server.query(queries.find((query) => query.includes('avg by (check)')) ?? '');
    expect(share).toEqual([{ metric: { check: 'db' }, value: 1 }]);
  });

  it("the docs' alert fires for a check failing 5 minutes, not 4, by promtool's rule tests", async () => {
    expect(ALERT_RULES).toBeDefined();
    writeFileSync(join(sandbox.dir, 'rules.yml'), ALERT_RULES ?? '');
    const checked = await run('promtool', ['check', 'rules', join(sandbox.dir, 'rules.yml')]);
    expect(checked.stdout + checked.stderr).toMatch(/SUCCESS: 1 rules found/);
    const labels = { probe: 'readiness', check: 'db', instance: 'pod-a:9000', job: 'workers' };
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          // Healthy for 2 minutes, then failing; another check healthy throughout.
          input_series: [
            {
              series: 'healthsock_check_status{probe="readiness",check="db",instance="pod-a:9000",job="workers"}',
              values: '1 1 0x10',
            },
            {
              series: 'healthsock_check_status{probe="readiness",check="cache",instance="pod-a:9000",job="workers"}',
              values: '1x12',
            },
          ],
          alert_rule_test: [
            { eval_time: '6m', alertname: 'HealthCheckFailing', exp_alerts: [] },
            {
              eval_time: '7m',
              alertname: 'HealthCheckFailing',
              exp_alerts: [
                {
                  exp_labels: { ...labels, severity: 'warning' },
                  exp_annotations: {
                    summary: 'check db has failed the readiness probe of pod-a:9000 for 5 minutes',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    // JSON is YAML.
    writeFileSync(join(sandbox.dir, 'rules.test.yml'), JSON.stringify(test));
    const tested = await run('promtool', ['test', 'rules', join(sandbox.dir, 'rules.test.yml')]);
    expect(tested.stdout + tested.stderr).toMatch(/SUCCESS/);
    expect(tested.code).toBe(0);
  });
});
