import type { ProbeReport } from '../model/reports.js';
import type { MetricsRecorder } from './MetricsRecorder.js';

/**
 * The key under which a server lends its recorder to the prom-client and OpenTelemetry adapters,
 * which are bundles of their own: a registered symbol is the same in each.
 */
export const METRICS_HOOK = Symbol.for('@healthsock/server.metrics');

/** What a server keeps under {@link METRICS_HOOK}: its recorder, made with `create` if it has none yet. */
export type LendRecorder = (create: () => MetricsRecorder) => MetricsRecorder;

interface EarlyReport {
  report: ProbeReport;
  whole: boolean;
  atMs: number;
}

/**
 * Between the registry and the metrics. While metrics are off, an evaluation costs one test here
 * and the metrics code is never loaded. `http.metrics` loads that code with import(): evaluations
 * made meanwhile wait here with their time, so that the recorder misses none of them.
 */
export class MetricsLink {
  #recorder: MetricsRecorder | undefined;
  #early: EarlyReport[] | undefined;

  get recorder(): MetricsRecorder | undefined {
    return this.#recorder;
  }

  note(report: ProbeReport, whole: boolean): void {
    if (this.#recorder) this.#recorder.record(report, whole, Date.now());
    else this.#early?.push({ report, whole, atMs: Date.now() });
  }

  /** The recorder's code is on its way: keep evaluations until it arrives. */
  expect(): void {
    this.#early ??= [];
  }

  /** The recorder's code failed to load: keep nothing more. */
  abandon(): void {
    this.#early = undefined;
  }

  /** The recorder, made now if there is none, with every evaluation kept while it loaded. */
  attach(create: () => MetricsRecorder): MetricsRecorder {
    if (this.#recorder) return this.#recorder;
    const recorder = create();
    for (const { report, whole, atMs } of this.#early ?? []) recorder.record(report, whole, atMs);
    this.#early = undefined;
    this.#recorder = recorder;
    return recorder;
  }
}
