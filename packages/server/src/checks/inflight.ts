import { nowMs } from '../shared/nowMs.js';
import type { CheckResult, HealthCheck } from '../registry/types.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { formatDuration } from './formatDuration.js';
import { validateNumber, validateCheckOptions } from '../options/validators.js';

export interface InflightOptions {
  /** Unhealthy once any job has been in flight for longer than this, in ms. */
  maxAgeMs: number;
}

/** The options `checks.inflight` accepts; any other key is an ERR_INVALID_OPTION. */
const INFLIGHT_OPTION_KEYS: readonly (keyof InflightOptions)[] = ['maxAgeMs'];

/** Ends one job begun with {@link InflightCheck.begin}. A second call does nothing. */
export type DoneFunction = () => void;

/** An in-flight check: wrap each job in `const done = check.begin(label)` … `done()`. */
export interface InflightCheck extends HealthCheck {
  /**
   * Records that a job has started and returns the function that ends it. Call `done()` when the
   * job has finished, acked or not, in a `finally`: a `done` never called keeps the job in flight,
   * so the check fails after `maxAgeMs`, which is then the truth about that job. Calling `done`
   * again does nothing, so it can never end another job or make the count negative.
   *
   * `label` names the job in the check's message, e.g. `'1234 (orders)'`; it is turned into text
   * only when a probe reports it. Without one, jobs are numbered `#1`, `#2`, … in order.
   */
  begin(label?: string | number): DoneFunction;
  /** How many jobs are in flight now. */
  readonly size: number;
  /**
   * Resolves `true` once no job is in flight (at once if none is), or `false` when `timeoutMs`
   * passes first: the wait of a graceful shutdown. Its timer never keeps the process alive.
   */
  idle(timeoutMs?: number): Promise<boolean>;
}

interface Job {
  id: number;
  label: string | number | undefined;
  startedAt: number;
}

/** A message names at most this many late jobs, the oldest first, and counts the rest. */
const NAMED_JOBS = 3;

/**
 * A check for push consumers (AMQP, BullMQ, anything that is handed messages rather than polling):
 * unhealthy while any job has been in flight for longer than `maxAgeMs`, healthy when idle. An
 * idle consumer receives nothing and so does nothing, which is not a stall; a message held past
 * its limit is. `checks.progress` cannot tell the two apart without a poll to beat on.
 *
 * Jobs live in a `Map` keyed by a counter, so `begin` and `done` are O(1) and the oldest job is
 * always the map's first entry: an evaluation reads only the jobs over the limit.
 */
export function inflight(options: InflightOptions): InflightCheck {
  options = validateCheckOptions('inflight', options, INFLIGHT_OPTION_KEYS);
  const maxAgeMs = validateNumber('checks.inflight: maxAgeMs', options.maxAgeMs, 1, MAX_TIMER_MS);

  const jobs = new Map<number, Job>();
  let counter = 0;
  const waiters = new Set<(idle: boolean) => void>();

  const finish = (id: number) => {
    if (!jobs.delete(id) || jobs.size > 0 || waiters.size === 0) return;
    for (const resolve of waiters) resolve(true);
    waiters.clear();
  };

  const check = (): CheckResult => {
    const now = nowMs();
    const oldest = jobs.values().next().value;
    if (oldest === undefined) return { status: 'healthy', data: { inFlight: 0, maxAgeMs } };
    const oldestAgeMs = now - oldest.startedAt;
    const data = {
      inFlight: jobs.size,
      oldestAgeMs: Math.round(oldestAgeMs),
      oldest: name(oldest),
      maxAgeMs,
    };
    if (oldestAgeMs <= maxAgeMs) return { status: 'healthy', data };
    // Jobs begin in the map's order, so those over the limit are its first entries.
    const late: string[] = [];
    let over = 0;
    for (const job of jobs.values()) {
      const ageMs = now - job.startedAt;
      if (ageMs <= maxAgeMs) break;
      over += 1;
      if (late.length < NAMED_JOBS) late.push(`job ${name(job)} in flight for ${formatDuration(ageMs)}`);
    }
    const more = over > late.length ? `, and ${over - late.length} more` : '';
    return { status: 'unhealthy', message: `${late.join(', ')}${more} (max ${formatDuration(maxAgeMs)})`, data };
  };

  return Object.defineProperty(
    Object.assign(check, {
      begin(label?: string | number): DoneFunction {
        const id = ++counter;
        jobs.set(id, { id, label, startedAt: nowMs() });
        return () => finish(id);
      },
      idle(timeoutMs?: number): Promise<boolean> {
        const limit =
          timeoutMs === undefined
            ? undefined
            : validateNumber('checks.inflight: idle timeoutMs', timeoutMs, 0, MAX_TIMER_MS);
        if (jobs.size === 0) return Promise.resolve(true);
        return new Promise<boolean>((resolve) => {
          let timer: NodeJS.Timeout | undefined;
          const settle = (idle: boolean) => {
            clearTimeout(timer);
            waiters.delete(settle);
            resolve(idle);
          };
          waiters.add(settle);
          if (limit !== undefined) timer = setTimeout(() => settle(false), limit).unref();
        });
      },
    }),
    'size',
    { get: () => jobs.size, enumerable: true },
  ) as typeof check & InflightCheck;
}

/** A job's label as text, or its number in the order jobs began when it has none. */
function name(job: Job): string {
  return job.label === undefined ? `#${job.id}` : String(job.label);
}
