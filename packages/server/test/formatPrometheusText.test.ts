import { describe, expect, it } from 'vitest';
import { formatPrometheusText, PROMETHEUS_CONTENT_TYPE } from '../src/metrics/formatPrometheusText.js';
import { MetricsRecorder } from '../src/metrics/MetricsRecorder.js';

/** The text of one evaluation of `probe` with one check named `check`. */
function textOf(probe: 'liveness' | 'readiness', check: string, durationMs: number, atMs: number): string {
  const recorder = new MetricsRecorder();
  recorder.record(
    { probe, status: 'healthy', durationMs, checks: [{ name: check, status: 'healthy', durationMs }] },
    true,
    atMs,
  );
  return formatPrometheusText(recorder.read());
}

describe('formatPrometheusText', () => {
  it('writes # HELP and # TYPE for every family, then one line per series', () => {
    const text = textOf('liveness', 'loop', 0.5, 1_700_000_000_000);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('# TYPE'))).toEqual([
      '# TYPE healthsock_check_status gauge',
      '# TYPE healthsock_check_duration_seconds gauge',
      '# TYPE healthsock_check_last_success_timestamp_seconds gauge',
      '# TYPE healthsock_probe_status gauge',
      '# TYPE healthsock_probe_evaluations_total counter',
    ]);
    expect(text).toContain('\nhealthsock_check_status{probe="liveness",check="loop"} 1\n');
    expect(text).toContain('\nhealthsock_check_duration_seconds{probe="liveness",check="loop"} 0.0005\n');
    expect(text).toContain(
      '\nhealthsock_check_last_success_timestamp_seconds{probe="liveness",check="loop"} 1700000000\n',
    );
    expect(text).toContain('\nhealthsock_probe_evaluations_total{probe="liveness",result="healthy"} 1\n');
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('escapes a backslash and a double quote in a check name', () => {
    expect(textOf('readiness', 'C:\\db "main"', 1, 0)).toContain(
      'healthsock_check_status{probe="readiness",check="C:\\\\db \\"main\\""} 1\n',
    );
  });
});
