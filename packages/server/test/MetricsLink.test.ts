import { describe, expect, it } from 'vitest';
import { MetricsLink } from '../src/metrics/MetricsLink.js';
import { MetricsRecorder } from '../src/metrics/MetricsRecorder.js';
import type { ProbeReport } from '../src/model/reports.js';

const healthy: ProbeReport = { probe: 'liveness', status: 'healthy', durationMs: 1, checks: [] };
const unhealthy: ProbeReport = { probe: 'liveness', status: 'unhealthy', durationMs: 1, checks: [] };

const evaluations = (recorder: MetricsRecorder) => recorder.read()[4]?.map((sample) => sample.value);

describe('MetricsLink', () => {
  it('keeps nothing while metrics are off', () => {
    const link = new MetricsLink();
    link.note(unhealthy, true);
    expect(link.recorder).toBeUndefined();
    expect(evaluations(link.attach(() => new MetricsRecorder()))).toEqual([]);
  });

  it('records, in order, every evaluation made while the recorder loaded', () => {
    const link = new MetricsLink();
    link.expect();
    link.note(unhealthy, true);
    link.note(healthy, true);
    const recorder = link.attach(() => new MetricsRecorder());
    link.note(healthy, true);
    expect(evaluations(recorder)).toEqual([2, 0, 1]);
    expect(recorder.read()[3]).toEqual([{ labels: { probe: 'liveness' }, value: 1 }]);
  });

  it('has one recorder: a second attach gets the first, so /metrics and the adapters agree', () => {
    const link = new MetricsLink();
    const first = link.attach(() => new MetricsRecorder());
    expect(link.attach(() => new MetricsRecorder())).toBe(first);
  });

  it('keeps nothing more once the recorder failed to load', () => {
    const link = new MetricsLink();
    link.expect();
    link.note(unhealthy, true);
    link.abandon();
    expect(evaluations(link.attach(() => new MetricsRecorder()))).toEqual([]);
  });
});
