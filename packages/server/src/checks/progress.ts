import { nowMs } from '../shared/nowMs.js';
import type { CheckResult, HealthCheck } from '../registry/types.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { formatDuration } from './formatDuration.js';
import { validateNumber, validateCheckOptions } from '../options/validators.js';

export interface ProgressOptions {
  /** Unhealthy once no `beat()` has been seen for this long, in ms. */
  maxAgeMs: number;
  /**
   * How long the check stays healthy before the first `beat()`, counted from `checks.progress()`,
   * in ms. Default `maxAgeMs`: a consumer gets as long for its first message as between two.
   */
  graceMs?: number | undefined;
}

/** A progress check: call `beat()` each time the work moves on. */
export interface ProgressCheck extends HealthCheck {
  /**
   * Records progress. Call it once per message, job or loop turn, and on each poll that found
   * nothing, so that an idle queue does not look stuck. It allocates nothing and starts no
   * timer: it only counts.
   */
  beat(): void;
}

/** Wraps before a small integer stops fitting in V8's tagged integers, which cost no allocation. */
const COUNT_MASK = 0x3fffffff;

/**
 * A check that fails when the work has stopped moving: unhealthy when `beat()` has not been
 * called for `maxAgeMs`. The event loop can keep spinning while a consumer awaits a promise that
 * never settles; this catches that, which answering on the socket alone cannot.
 *
 * `beat()` only increments a counter, because even reading the clock allocates on Node 20. The
 * clock is read when a probe evaluates the check: an age counts from the first evaluation that
 * saw the counter move, so a stall is reported at most one probe period late, never early.
 */
/** Every key of {@link ProgressOptions}: any other is a typo, refused with a suggestion. */
const PROGRESS_OPTION_KEYS = ['maxAgeMs', 'graceMs'] as const;

export function progress(options: ProgressOptions): ProgressCheck {
  const { maxAgeMs, graceMs = maxAgeMs } = validateCheckOptions('progress', options, PROGRESS_OPTION_KEYS);
  validateNumber('checks.progress: maxAgeMs', maxAgeMs, 1, MAX_TIMER_MS);
  validateNumber('checks.progress: graceMs', graceMs, 0, MAX_TIMER_MS);

  const createdAt = nowMs();
  let beats = 0;
  let seenBeats = 0;
  let seenAt: number | undefined;

  const check = (): CheckResult => {
    const now = nowMs();
    if (beats !== seenBeats) {
      seenBeats = beats;
      seenAt = now;
    }
    if (seenAt === undefined) {
      const waitedMs = now - createdAt;
      if (waitedMs <= graceMs) {
        return {
          status: 'healthy',
          message: `waiting for the first beat (${formatDuration(waitedMs)} of ${formatDuration(graceMs)} grace)`,
          data: { ageMs: Math.round(waitedMs), maxAgeMs },
        };
      }
      return {
        status: 'unhealthy',
        message: `no progress for ${formatDuration(waitedMs)}, not one beat since start (grace ${formatDuration(graceMs)})`,
        data: { ageMs: Math.round(waitedMs), maxAgeMs },
      };
    }
    const ageMs = now - seenAt;
    if (ageMs > maxAgeMs) {
      return {
        status: 'unhealthy',
        message: `no progress for ${formatDuration(ageMs)} (max ${formatDuration(maxAgeMs)})`,
        data: { ageMs: Math.round(ageMs), maxAgeMs },
      };
    }
    return { status: 'healthy', data: { ageMs: Math.round(ageMs), maxAgeMs } };
  };
  return Object.assign(check, {
    beat(): void {
      beats = (beats + 1) & COUNT_MASK;
    },
  });
}
