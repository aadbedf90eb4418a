import type { CheckResult, HealthCheck } from '../registry/types.js';
import { validateAtMost, validateNumber, validateCheckOptions } from '../options/validators.js';

// Loaded on the first run: importing node:v8 would cost every worker about a millisecond at start.
let v8: Promise<typeof import('node:v8')> | undefined;

export interface HeapOptions {
  /** Unhealthy when the used heap exceeds this share of the limit. Default 0.9. */
  maxUsedRatio?: number | undefined;
  /** Degraded when the used heap exceeds this share of the limit. Default `maxUsedRatio - 0.1`. */
  degradedRatio?: number | undefined;
  /**
   * The limit in bytes. Default: V8's own heap limit (`--max-old-space-size`, or what V8 chose
   * for the machine). Give a byte count when the container's memory limit is the tighter one.
   */
  limitBytes?: number | undefined;
}

/**
 * A check on the JavaScript heap: degraded near the limit, unhealthy past it. A heap that keeps
 * growing towards V8's limit ends in an out-of-memory crash; this says so while there is time.
 */
/** Every key of {@link HeapOptions}: any other is a typo, refused with a suggestion. */
const HEAP_OPTION_KEYS = ['maxUsedRatio', 'degradedRatio', 'limitBytes'] as const;

export function heap(given?: HeapOptions): HealthCheck {
  const options = validateCheckOptions('heap', given, HEAP_OPTION_KEYS);
  const maxUsedRatio = validateNumber('checks.heap: maxUsedRatio', options.maxUsedRatio ?? 0.9, 0.01, 1);
  const degradedRatio = validateNumber(
    'checks.heap: degradedRatio',
    options.degradedRatio ?? Math.max(0, maxUsedRatio - 0.1),
    0,
    1,
  );
  validateAtMost('checks.heap: degradedRatio', degradedRatio, 'maxUsedRatio', maxUsedRatio);
  const limitBytes =
    options.limitBytes === undefined
      ? undefined
      : validateNumber('checks.heap: limitBytes', options.limitBytes, 1024 * 1024, Number.MAX_SAFE_INTEGER);

  return async (): Promise<CheckResult> => {
    const stats = (await (v8 ??= import('node:v8'))).getHeapStatistics();
    const limit = limitBytes ?? stats.heap_size_limit;
    const used = stats.used_heap_size;
    const ratio = used / limit;
    const data = { usedBytes: used, limitBytes: limit, usedRatio: Math.round(ratio * 1000) / 1000 };
    const usage = `heap ${formatBytes(used)} of ${formatBytes(limit)} (${Math.round(ratio * 100)}%`;
    if (ratio > maxUsedRatio) {
      return { status: 'unhealthy', message: `${usage}, max ${Math.round(maxUsedRatio * 100)}%)`, data };
    }
    if (ratio > degradedRatio) {
      return { status: 'degraded', message: `${usage}, degraded above ${Math.round(degradedRatio * 100)}%)`, data };
    }
    return { status: 'healthy', data };
  };
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(0)} MiB`;
}
