/** What a family of series is: its name, help text, type and label names. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
  /**
   * The OpenTelemetry unit, if any. A status has none: `1` would make OpenTelemetry's Prometheus
   * exporter append `_ratio` to the name, and the names must be the same everywhere.
   */
  readonly unit?: string;
}

/**
 * Every series healthsock exports, the same on `/metrics`, in prom-client and in OpenTelemetry.
 * The shape is that of .NET's health check publishers: a status, a duration, a last success.
 */
export const METRIC_FAMILIES: readonly MetricFamily[] = [
  {
    name: 'healthsock_check_status',
    help: 'Latest status of a check in a probe: 1 healthy, 0.5 degraded, 0 unhealthy.',
    type: 'gauge',
    labelNames: ['probe', 'check'],
  },
  {
    name: 'healthsock_check_duration_seconds',
    help: 'How long the latest evaluation of a check in a probe took, in seconds.',
    type: 'gauge',
    labelNames: ['probe', 'check'],
    unit: 's',
  },
  {
    name: 'healthsock_check_last_success_timestamp_seconds',
    help: 'When a check in a probe last passed (healthy or degraded), in seconds since the Unix epoch.',
    type: 'gauge',
    labelNames: ['probe', 'check'],
    unit: 's',
  },
  {
    name: 'healthsock_probe_status',
    help: 'Latest status of a whole probe: 1 healthy, 0.5 degraded, 0 unhealthy.',
    type: 'gauge',
    labelNames: ['probe'],
  },
  {
    name: 'healthsock_probe_evaluations_total',
    help: 'Evaluations of a whole probe, by their result.',
    type: 'counter',
    labelNames: ['probe', 'result'],
  },
];
