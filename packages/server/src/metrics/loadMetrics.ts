import type { MetricsLink } from './MetricsLink.js';

/** The metrics code on its way, and `/metrics` read from it. */
export interface LoadingMetrics {
  /** Settles once the code has loaded; rejects if it cannot, which `listen()` then reports. */
  loaded: Promise<unknown>;
  /** Every check's latest result in the Prometheus text format; it never runs a check. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/**
 * Loads the metrics code from now on, so that the first evaluations are recorded too: those
 * made meanwhile wait in `link`.
 */
export function loadMetrics(link: MetricsLink): LoadingMetrics {
  link.expect();
  const loading = import('./optionalMetrics.js').then((code) => {
    link.attach(() => new code.MetricsRecorder());
    return code;
  });
  // `listen()` reports the failure; until then, nothing more is kept for a recorder that never comes.
  loading.catch(() => link.abandon());
  return {
    loaded: loading,
    async scrape() {
      const code = await loading;
      const recorder = link.attach(() => new code.MetricsRecorder());
      return { body: code.formatPrometheusText(recorder.read()), contentType: code.PROMETHEUS_CONTENT_TYPE };
    },
  };
}
