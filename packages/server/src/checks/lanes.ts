import type { CheckContext, CheckResult, HealthCheck } from '../registry/types.js';
import { progress, type ProgressCheck } from './progress.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { validateNumber, validateCheckOptions, validateString } from '../options/validators.js';

export interface LanesOptions {
  /** A lane is stuck once its `beat()` has not been called for this long, in ms. */
  maxAgeMs: number;
  /**
   * How long a new lane stays healthy before its first `beat()`, counted from `add()`, in ms.
   * Default `maxAgeMs`.
   */
  graceMs?: number | undefined;
}

/** The options `checks.lanes` accepts; any other key is an ERR_INVALID_OPTION. */
const LANES_OPTION_KEYS: readonly (keyof LanesOptions)[] = ['maxAgeMs', 'graceMs'];

/** One queue or partition of a {@link LanesCheck}. */
export interface Lane {
  readonly name: string;
  /**
   * Records progress on this lane: after each message, and on each poll of it that found nothing.
   * Like `checks.progress`'s `beat()`, it only counts: no allocation, no clock, no timer.
   */
  beat(): void;
}

/** A progress check per lane: one stuck lane fails it, and is named. */
export interface LanesCheck extends HealthCheck {
  /**
   * The lane called `name`, created with its grace period starting now if there is none, e.g. when
   * a partition is assigned. Adding a name that is already there returns that lane unchanged.
   */
  add(name: string): Lane;
  /** Forgets a lane, e.g. when its partition is revoked; false if there was none. */
  remove(name: string): boolean;
  /** The names of the lanes, in the order they were added. */
  readonly names: string[];
}

interface LaneState {
  lane: Lane;
  progress: ProgressCheck;
}

/** Beyond this many stuck lanes, the message counts the rest. */
const NAMED_LANES = 3;

/**
 * Progress per lane, for a pull consumer that polls several queues or partitions: unhealthy when
 * any lane has had no `beat()` for `maxAgeMs`, naming the stuck lanes. A lane that stops while
 * the others move would leave a single progress check healthy; here it fails liveness. Each lane
 * is judged exactly as `checks.progress` judges the whole worker, grace period included.
 */
export function lanes(options: LanesOptions): LanesCheck {
  options = validateCheckOptions('lanes', options, LANES_OPTION_KEYS);
  const maxAgeMs = validateNumber('checks.lanes: maxAgeMs', options.maxAgeMs, 1, MAX_TIMER_MS);
  const graceMs = validateNumber('checks.lanes: graceMs', options.graceMs ?? maxAgeMs, 0, MAX_TIMER_MS);
  const all = new Map<string, LaneState>();

  const check = (context: CheckContext): CheckResult => {
    if (all.size === 0) return { status: 'healthy', message: 'no lanes', data: { lanes: 0, maxAgeMs } };
    const stuck: string[] = [];
    let count = 0;
    for (const { lane, progress: laneProgress } of all.values()) {
      const result = laneProgress(context) as CheckResult;
      if (result.status !== 'unhealthy') continue;
      count += 1;
      if (stuck.length < NAMED_LANES) stuck.push(`lane ${lane.name}: ${result.message ?? 'stuck'}`);
    }
    const data = { lanes: all.size, stuck: count, maxAgeMs };
    if (count === 0) return { status: 'healthy', data };
    const more = count > stuck.length ? `; and ${count - stuck.length} more lanes` : '';
    return { status: 'unhealthy', message: `${stuck.join('; ')}${more}`, data };
  };

  return Object.defineProperty(
    Object.assign(check, {
      add(name: string): Lane {
        validateString('checks.lanes: a lane name', name, 'a non-empty string', 'nonEmpty');
        const existing = all.get(name);
        if (existing) return existing.lane;
        const laneProgress = progress({ maxAgeMs, graceMs });
        // The progress check's beat uses no `this`, so the lane hands it out as it is: one call, not two.
        const lane: Lane = Object.freeze({ name, beat: laneProgress.beat });
        all.set(name, { lane, progress: laneProgress });
        return lane;
      },
      remove(name: string): boolean {
        return all.delete(name);
      },
    }),
    'names',
    { get: () => [...all.keys()], enumerable: true },
  ) as typeof check & LanesCheck;
}
