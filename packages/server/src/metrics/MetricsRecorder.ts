import type { ProbeReport } from '../model/reports.js';
import type { Status } from '../model/statuses.js';
import { METRIC_FAMILIES } from './metricFamilies.js';

/** One series of a family: its labels and its latest value. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Status as a number a graph can draw and an alert can compare: degraded sits between. */
const STATUS_VALUES: Readonly<Record<Status, number>> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

interface CheckState {
  readonly labels: Readonly<Record<string, string>>;
  status: number;
  durationSeconds: number;
  /** Absent until the check first passes. */
  lastSuccessSeconds: number | undefined;
}

interface ProbeState {
  readonly labels: Readonly<Record<string, string>>;
  /** Absent until the whole probe is first evaluated: a part of it is not its status. */
  status: number | undefined;
  readonly evaluations: Record<Status, number>;
  /** The labels of each result's series, made once. */
  readonly resultLabels: Readonly<Record<Status, Readonly<Record<string, string>>>>;
  readonly checks: Map<string, CheckState>;
}

/**
 * The latest result of every check and probe, as metrics. It is fed by every evaluation, whoever
 * asked, and read by a scrape, which never runs a check. What was never evaluated has no series.
 * Labels are the probe, the check and the result: bounded sets, and never a message.
 */
export class MetricsRecorder {
  readonly #probes = new Map<string, ProbeState>();

  /** Takes note of one evaluation's report; `whole` is false when it asked for only some checks. */
  record(report: ProbeReport, whole: boolean, atMs: number): void {
    let probe = this.#probes.get(report.probe);
    if (!probe) {
      probe = {
        labels: { probe: report.probe },
        status: undefined,
        evaluations: { healthy: 0, degraded: 0, unhealthy: 0 },
        resultLabels: {
          healthy: { probe: report.probe, result: 'healthy' },
          degraded: { probe: report.probe, result: 'degraded' },
          unhealthy: { probe: report.probe, result: 'unhealthy' },
        },
        checks: new Map(),
      };
      this.#probes.set(report.probe, probe);
    }
    if (whole) {
      probe.status = STATUS_VALUES[report.status];
      probe.evaluations[report.status] += 1;
    }
    for (const check of report.checks) {
      let state = probe.checks.get(check.name);
      if (!state) {
        state = {
          labels: { probe: report.probe, check: check.name },
          status: 0,
          durationSeconds: 0,
          lastSuccessSeconds: undefined,
        };
        probe.checks.set(check.name, state);
      }
      state.status = STATUS_VALUES[check.status];
      state.durationSeconds = check.durationMs / 1000;
      if (check.status !== 'unhealthy') state.lastSuccessSeconds = atMs / 1000;
    }
  }

  /** The samples of every family, in the order of {@link METRIC_FAMILIES}. */
  read(): MetricSample[][] {
    const checkStatus: MetricSample[] = [];
    const checkDuration: MetricSample[] = [];
    const lastSuccess: MetricSample[] = [];
    const probeStatus: MetricSample[] = [];
    const evaluations: MetricSample[] = [];
    for (const probe of this.#probes.values()) {
      for (const check of probe.checks.values()) {
        checkStatus.push({ labels: check.labels, value: check.status });
        checkDuration.push({ labels: check.labels, value: check.durationSeconds });
        if (check.lastSuccessSeconds !== undefined) {
          lastSuccess.push({ labels: check.labels, value: check.lastSuccessSeconds });
        }
      }
      if (probe.status === undefined) continue;
      probeStatus.push({ labels: probe.labels, value: probe.status });
      // Every result once the probe has run, zeros included, so that rate() sees the first failure.
      for (const result of Object.keys(probe.evaluations) as Status[]) {
        evaluations.push({ labels: probe.resultLabels[result], value: probe.evaluations[result] });
      }
    }
    const samples = [checkStatus, checkDuration, lastSuccess, probeStatus, evaluations];
    return METRIC_FAMILIES.map((_, index) => samples[index] ?? []);
  }
}
