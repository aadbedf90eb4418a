// The prom-client and OpenTelemetry adapters against the real libraries: prom-client's own
// registry output beside a user's metric, and @opentelemetry/sdk-metrics with an in-memory
// exporter. Both give the values that /metrics gives for the same evaluations.
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import { registerOpenTelemetry } from '@healthsock/server/opentelemetry';
import { registerPrometheus } from '@healthsock/server/prometheus';
import { fileURLToPath } from 'node:url';
import { Counter, Registry, register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition } from './helpers/exposition.js';
import { run } from './helpers/processes.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  metrics.disable();
  register.clear();
});

/** A server with HTTP and /metrics on 127.0.0.1, and checks whose outcome the test sets. */
async function serverWithChecks(httpMetrics = true) {
  const outcome: Record<string, 'pass' | 'fail' | 'degraded'> = { db: 'pass', cache: 'degraded', loop: 'pass' };
  const health = createHealthServer({
    socketPath: false,
    http: { port: 0, host: '127.0.0.1', metrics: httpMetrics },
  });
  servers.push(health);
  for (const [name, probes] of [
    ['db', ['startup', 'readiness']],
    ['cache', ['readiness']],
    ['loop', ['liveness']],
  ] as const) {
    health.addCheck(
      name,
      () => {
        if (outcome[name] === 'fail') throw new Error(`${name} is down`);
        if (outcome[name] === 'degraded') return { status: 'degraded', message: `${name} is slow` };
        return undefined;
      },
      { probes: [...probes] },
    );
  }
  await health.listen();
  const scrape = async () => (await fetch(`http://127.0.0.1:${health.ports.http}/metrics`)).text();
  /** Evaluations from every kind of source: probe(), HTTP, and a probe that fails. */
  const evaluate = async () => {
    await health.probe('readiness');
    outcome.db = 'fail';
    await fetch(`http://127.0.0.1:${health.ports.http}/readyz`);
    await health.probe('liveness');
    await health.probe('startup');
  };
  return { health, scrape, evaluate };
}

describe('the prom-client adapter', () => {
  it("gives in the application's registry, beside its own metric, the values of /metrics", async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'app_jobs_total', help: 'Jobs done.', registers: [registry] });
    jobs.inc(3);
    const { health, scrape, evaluate } = await serverWithChecks();
    registerPrometheus(health, registry);
    await evaluate();
    const own = await scrape();
    const text = await registry.metrics();
    expect(text).toContain('# TYPE healthsock_check_status gauge\n');
    expect(text).toContain('# TYPE healthsock_probe_evaluations_total counter\n');
    expect(parseExposition(text, 'app_')).toEqual(new Map([['app_jobs_total{}', 3]]));
    const samples = parseExposition(text);
    expect(samples.get('healthsock_check_status{check="db",probe="readiness"}')).toBe(0);
    expect(samples.get('healthsock_probe_status{probe="readiness"}')).toBe(0);
    expect(samples.size).toBeGreaterThan(15);
    expect(samples).toEqual(parseExposition(own));
    expect(registry.contentType).toContain('text/plain');
  });

  it('records from registration on when /metrics is off, into the default registry unless given one', async () => {
    const { health } = await serverWithChecks(false);
    registerPrometheus(health);
    expect(parseExposition(await register.metrics()).size).toBe(0);
    await health.probe('liveness');
    expect(parseExposition(await register.metrics())).toEqual(
      new Map([
        ['healthsock_check_status{check="loop",probe="liveness"}', 1],
        ['healthsock_check_duration_seconds{check="loop",probe="liveness"}', expect.any(Number)],
        ['healthsock_check_last_success_timestamp_seconds{check="loop",probe="liveness"}', expect.any(Number)],
        ['healthsock_probe_status{probe="liveness"}', 1],
        ['healthsock_probe_evaluations_total{probe="liveness",result="degraded"}', 0],
        ['healthsock_probe_evaluations_total{probe="liveness",result="healthy"}', 1],
        ['healthsock_probe_evaluations_total{probe="liveness",result="unhealthy"}', 0],
      ]),
    );
  });

  it('refuses a second registration in one registry, adding nothing, and removes its series on request', async () => {
    const registry = new Registry();
    const { health } = await serverWithChecks();
    const unregister = registerPrometheus(health, registry);
    expect(() => registerPrometheus(health, registry)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/already has a metric named healthsock_check_status/),
      }),
    );
    expect(registry.getMetricsAsArray()).toHaveLength(5);
    unregister();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    expect(() => registerPrometheus({} as HealthServer, registry)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/a server made by createHealthServer/),
      }),
    );
  });
});

describe('the OpenTelemetry adapter', () => {
  it('is a no-op without an SDK, as the API promises', async () => {
    const { health, scrape } = await serverWithChecks();
    const stop = registerOpenTelemetry(health);
    await health.probe('liveness');
    expect(parseExposition(await scrape()).get('healthsock_probe_status{probe="liveness"}')).toBe(1);
    stop();
  });

  it('gives through the SDK, as observable gauges and a counter, the values of /metrics', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    try {
      const { health, scrape, evaluate } = await serverWithChecks();
      registerOpenTelemetry(health);
      await evaluate();
      await reader.forceFlush();
      const exported =
        exporter
          .getMetrics()
          .at(-1)
          ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
      // Observable gauges export gauges; the observable counter, a monotonic sum.
      const kinds = Object.fromEntries(
        exported.map((metric) => [
          metric.descriptor.name,
          metric.dataPointType === DataPointType.SUM
            ? `sum monotonic ${String(metric.isMonotonic)}`
            : metric.dataPointType === DataPointType.GAUGE
              ? 'gauge'
              : 'other',
        ]),
      );
      expect(kinds).toEqual({
        healthsock_check_status: 'gauge',
        healthsock_check_duration_seconds: 'gauge',
        healthsock_check_last_success_timestamp_seconds: 'gauge',
        healthsock_probe_status: 'gauge',
        healthsock_probe_evaluations_total: 'sum monotonic true',
      });
      const samples = new Map<string, number>();
      for (const metric of exported) {
        for (const point of metric.dataPoints) {
          const labels = Object.entries(point.attributes)
            .map(([name, value]) => `${name}="${String(value)}"`)
            .sort();
          samples.set(`${metric.descriptor.name}{${labels.join(',')}}`, point.value as number);
        }
      }
      expect(samples.get('healthsock_check_status{check="db",probe="readiness"}')).toBe(0);
      expect(samples.get('healthsock_probe_evaluations_total{probe="readiness",result="healthy"}')).toBe(0);
      expect(samples.get('healthsock_probe_evaluations_total{probe="readiness",result="degraded"}')).toBe(1);
      expect(samples).toEqual(parseExposition(await scrape()));
    } finally {
      await provider.shutdown();
    }
  });
});

describe('the adapters as packages', () => {
  it('load with require() as well as import', async () => {
    const script = `
      const { createHealthServer } = require('@healthsock/server');
      const { registerPrometheus } = require('@healthsock/server/prometheus');
      const { registerOpenTelemetry } = require('@healthsock/server/opentelemetry');
      const { Registry } = require('prom-client');
      const health = createHealthServer({ socketPath: false });
      health.addCheck('db', () => undefined);
      const registry = new Registry();
      registerPrometheus(health, registry);
      registerOpenTelemetry(health);
      health.probe('readiness').then(() => registry.metrics()).then((text) => process.stdout.write(text));
    `;
    const result = await run(process.execPath, ['-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)) });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('healthsock_probe_status{probe="readiness"} 1\n');
  });
});
