import { invalidOption } from '../options/validators.js';
import { METRICS_HOOK, type LendRecorder } from './MetricsLink.js';
import { MetricsRecorder } from './MetricsRecorder.js';

/**
 * The recorder of a server made by `createHealthServer`, which starts recording now if it was not
 * already (for `/metrics` or another adapter): both then read the same latest results.
 */
export function recorderOf(health: unknown, adapter: string): MetricsRecorder {
  const lend =
    typeof health === 'object' && health !== null
      ? (health as { [METRICS_HOOK]?: LendRecorder })[METRICS_HOOK]
      : undefined;
  if (typeof lend !== 'function') {
    throw invalidOption(
      `${adapter} needs a server made by createHealthServer, got ${health === null ? 'null' : typeof health}`,
    );
  }
  return lend(() => new MetricsRecorder());
}
