// The metrics code behind `http.metrics`: one module, loaded with import() only when metrics are
// on, so that a worker without them never parses it. It shares no code with the rest, which
// would otherwise move into a chunk of its own that every worker loads.
export { formatPrometheusText, PROMETHEUS_CONTENT_TYPE } from './formatPrometheusText.js';
export { MetricsRecorder } from './MetricsRecorder.js';
