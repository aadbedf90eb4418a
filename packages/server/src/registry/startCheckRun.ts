import { nowMs } from '../shared/nowMs.js';
import { healthsockError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { CheckReport } from '../model/reports.js';
import { callUser, type UserOutcome } from '../user/callUser.js';
import { elapsedMs } from './elapsedMs.js';
import { readResult } from './readResult.js';
import type { RunDeadline } from './RunDeadline.js';
import { tidyMessage } from './tidyMessage.js';
import type { HealthCheck } from './types.js';

/** A run's report, without the check's name. */
export type RunReport = Omit<CheckReport, 'name'>;

/** Who waits for runs' reports: `take` gets each one once, with the index it waited under. */
export interface RunWaiter {
  take(index: number, report: RunReport): void;
}

/** Where a check's run in flight is kept, so that concurrent callers share it. */
export interface RunSlot {
  running: CheckRun | undefined;
}

/** One run of one check, shared by every caller that comes while it is in flight. */
export interface CheckRun {
  /** When it started, on the `nowMs()` clock. */
  readonly startedAt: number;
  /** Whether it reached its timeoutMs; the check itself may still be running. */
  readonly timedOut: boolean;
  /** Hands the report to `waiter` once it is in: when the check settles or times out. */
  wait(waiter: RunWaiter, index: number): void;
  /** Ends the run at its timeoutMs unless its report is already in: its deadline's timer calls it. */
  timeOut(): void;
}

/**
 * Runs a check once, in `slot` until the check settles, bounded by the deadline's `timeoutMs`.
 * The report always comes: a throw, a rejection and a timeout all become an unhealthy report.
 * On timeout the check's signal is aborted, but the check may go on running; it stays in `slot`
 * until it finally stops.
 */
export function startCheckRun(
  slot: RunSlot,
  check: HealthCheck,
  probe: ProbeName,
  deadline: RunDeadline,
  redact?: (message: string) => string,
): CheckRun {
  const run = new Run(slot, check, probe, deadline, redact);
  slot.running = run;
  return run;
}

/**
 * A class rather than closures, and waiters rather than promises, because every probe makes one
 * per check: this is the hot path of a probed worker.
 */
class Run implements CheckRun {
  readonly startedAt = nowMs();
  timedOut = false;
  #report: RunReport | undefined;
  // Nearly always one caller waits: it is kept in two fields, any others in pairs in a list.
  #waiter: RunWaiter | undefined;
  #index = 0;
  #others: (RunWaiter | number)[] | undefined;
  readonly #deadline: RunDeadline;
  readonly #redact: ((message: string) => string) | undefined;
  // Most checks never look at their signal, and an AbortController is not free on every probe.
  #controller: AbortController | undefined;
  #abortReason: HealthsockError | undefined;

  constructor(
    slot: RunSlot,
    check: HealthCheck,
    probe: ProbeName,
    deadline: RunDeadline,
    redact: ((message: string) => string) | undefined,
  ) {
    this.#deadline = deadline;
    this.#redact = redact;
    deadline.add(this);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter's own `this` is the context
    const run = this;
    const context = {
      probe,
      get signal(): AbortSignal {
        return run.#signal();
      },
    };
    void callUser(() => check(context)).then((called) => {
      if (slot.running === this) slot.running = undefined;
      // After a timeout the report is in: what the check said late is not read at all.
      if (this.#report === undefined) this.#finish(this.#read(called));
    });
  }

  wait(waiter: RunWaiter, index: number): void {
    if (this.#report !== undefined) waiter.take(index, this.#report);
    else if (this.#waiter === undefined) {
      this.#waiter = waiter;
      this.#index = index;
    } else (this.#others ??= []).push(waiter, index);
  }

  timeOut(): void {
    if (this.#report !== undefined) return;
    this.timedOut = true;
    this.#abortReason = healthsockError('ERR_CHECK_TIMEOUT', 'check', [this.#deadline.timeoutMs]);
    const { message } = this.#abortReason;
    this.#controller?.abort(this.#abortReason);
    this.#finish({ status: 'unhealthy', durationMs: elapsedMs(this.startedAt), message });
  }

  #signal(): AbortSignal {
    if (!this.#controller && this.#abortReason) return AbortSignal.abort(this.#abortReason);
    return (this.#controller ??= new AbortController()).signal;
  }

  #read(called: UserOutcome<unknown>): RunReport {
    if (!called.ok) {
      return {
        status: 'unhealthy',
        durationMs: elapsedMs(this.startedAt),
        message: this.#tidy(called.reason) || 'threw a blank message',
      };
    }
    const result = readResult(called.value);
    const text = result.message === undefined ? '' : this.#tidy(result.message);
    // Built key by key, in the order replies have always shown: status, data, message, durationMs.
    const report: RunReport = { status: result.status } as RunReport;
    if (result.data !== undefined) report.data = result.data;
    if (text) report.message = text;
    report.durationMs = elapsedMs(this.startedAt);
    return report;
  }

  #tidy(message: string): string {
    return tidyMessage(this.#redact ? this.#redact(message) : message);
  }

  #finish(report: RunReport): void {
    this.#report = report;
    const waiter = this.#waiter;
    const others = this.#others;
    this.#waiter = undefined;
    this.#others = undefined;
    waiter?.take(this.#index, report);
    if (others)
      for (let i = 0; i < others.length; i += 2) (others[i] as RunWaiter).take(others[i + 1] as number, report);
    this.#deadline.reported();
  }
}
