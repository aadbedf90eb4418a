import { beforeEach, describe, expect, it } from 'vitest';
import { METRIC_FAMILIES } from '../src/metrics/metricFamilies.js';
import { MetricsRecorder } from '../src/metrics/MetricsRecorder.js';
import type { ProbeReport } from '../src/model/reports.js';

/** The recorder's samples as `name{label=value,...} value` lines, for readable expectations. */
function lines(recorder: MetricsRecorder): string[] {
  return recorder.read().flatMap((samples, index) =>
    samples.map((sample) => {
      const labels = Object.entries(sample.labels).map(([name, value]) => `${name}=${value}`);
      return `${METRIC_FAMILIES[index]?.name}{${labels.join(',')}} ${sample.value}`;
    }),
  );
}

const report = (
  status: ProbeReport['status'],
  checks: ProbeReport['checks'],
  probe: ProbeReport['probe'] = 'readiness',
) => ({ probe, status, durationMs: 5, checks }) satisfies ProbeReport;

describe('MetricsRecorder', () => {
  let recorder: MetricsRecorder;
  beforeEach(() => {
    recorder = new MetricsRecorder();
  });

  it('has no series before an evaluation: a check never evaluated is absent, not 0', () => {
    expect(recorder.read()).toEqual(METRIC_FAMILIES.map(() => []));
  });

  it('records status as 1, 0.5 or 0, the duration in seconds, and when the check last passed', () => {
    recorder.record(
      report('unhealthy', [
        { name: 'db', status: 'healthy', durationMs: 12 },
        { name: 'cache', status: 'degraded', durationMs: 3, message: 'slow' },
        { name: 'queue', status: 'unhealthy', durationMs: 250, message: 'connect ECONNREFUSED 10.0.0.1:5672' },
      ]),
      true,
      1_700_000_000_500,
    );
    expect(lines(recorder)).toEqual([
      'healthsock_check_status{probe=readiness,check=db} 1',
      'healthsock_check_status{probe=readiness,check=cache} 0.5',
      'healthsock_check_status{probe=readiness,check=queue} 0',
      'healthsock_check_duration_seconds{probe=readiness,check=db} 0.012',
      'healthsock_check_duration_seconds{probe=readiness,check=cache} 0.003',
      'healthsock_check_duration_seconds{probe=readiness,check=queue} 0.25',
      // A check that has never passed has no last success, rather than the epoch.
      'healthsock_check_last_success_timestamp_seconds{probe=readiness,check=db} 1700000000.5',
      'healthsock_check_last_success_timestamp_seconds{probe=readiness,check=cache} 1700000000.5',
      'healthsock_probe_status{probe=readiness} 0',
      'healthsock_probe_evaluations_total{probe=readiness,result=healthy} 0',
      'healthsock_probe_evaluations_total{probe=readiness,result=degraded} 0',
      'healthsock_probe_evaluations_total{probe=readiness,result=unhealthy} 1',
    ]);
  });

  it('keeps the latest result, counts every whole evaluation, and keeps the last success through failures', () => {
    recorder.record(report('healthy', [{ name: 'db', status: 'healthy', durationMs: 1 }]), true, 1000);
    recorder.record(report('unhealthy', [{ name: 'db', status: 'unhealthy', durationMs: 2 }]), true, 2000);
    recorder.record(report('unhealthy', [{ name: 'db', status: 'unhealthy', durationMs: 3 }]), true, 3000);
    expect(lines(recorder)).toEqual([
      'healthsock_check_status{probe=readiness,check=db} 0',
      'healthsock_check_duration_seconds{probe=readiness,check=db} 0.003',
      'healthsock_check_last_success_timestamp_seconds{probe=readiness,check=db} 1',
      'healthsock_probe_status{probe=readiness} 0',
      'healthsock_probe_evaluations_total{probe=readiness,result=healthy} 1',
      'healthsock_probe_evaluations_total{probe=readiness,result=degraded} 0',
      'healthsock_probe_evaluations_total{probe=readiness,result=unhealthy} 2',
    ]);
  });

  it("takes a part of a probe as its checks' latest results, but not as the probe's status or an evaluation", () => {
    recorder.record(
      report('degraded', [{ name: 'cache', status: 'degraded', durationMs: 1 }], 'liveness'),
      false,
      1000,
    );
    expect(lines(recorder)).toEqual([
      'healthsock_check_status{probe=liveness,check=cache} 0.5',
      'healthsock_check_duration_seconds{probe=liveness,check=cache} 0.001',
      'healthsock_check_last_success_timestamp_seconds{probe=liveness,check=cache} 1',
    ]);
  });

  it('keeps each probe apart: one check in two probes is two series', () => {
    recorder.record(report('healthy', [{ name: 'db', status: 'healthy', durationMs: 1 }], 'startup'), true, 1000);
    recorder.record(report('unhealthy', [{ name: 'db', status: 'unhealthy', durationMs: 1 }]), true, 2000);
    const [status] = recorder.read();
    expect(status).toEqual([
      { labels: { probe: 'startup', check: 'db' }, value: 1 },
      { labels: { probe: 'readiness', check: 'db' }, value: 0 },
    ]);
  });

  it('labels series with the probe, the check and the result only: never a message', () => {
    recorder.record(
      report('unhealthy', [{ name: 'db', status: 'unhealthy', durationMs: 1, message: 'password=hunter2' }]),
      true,
      1000,
    );
    const names = new Set(recorder.read().flatMap((samples) => samples.flatMap((s) => Object.keys(s.labels))));
    expect([...names].sort()).toEqual(['check', 'probe', 'result']);
    expect(JSON.stringify(recorder.read())).not.toContain('hunter2');
  });
});
