import { nowMs } from '../shared/nowMs.js';
import { healthsockError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { CheckReport } from '../model/reports.js';
import { callUserInto, type UserSettlement } from '../user/callUser.js';
import { describeThrown } from '../user/describeThrown.js';
import { elapsedMs } from './elapsedMs.js';
import { readResult } from './readResult.js';
import type { RunDeadline } from './RunDeadline.js';
import { tidyMessage } from './tidyMessage.js';
import type { CheckContext, HealthCheck } from './types.js';

/** Who waits for runs' reports: `take` gets each one once, with the index it waited under. */
export interface RunWaiter {
  take(index: number, report: CheckReport): void;
}

/** A registered check as a run needs it: its name, its function, and where its run in flight is kept. */
export interface RunEntry {
  readonly name: string;
  readonly check: HealthCheck;
  /** The run whose check has not settled yet, so that concurrent callers share it. */
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
 * Runs an entry's check once, kept in `entry.running` until the check settles, bounded by the
 * deadline's `timeoutMs`. The report always comes: a throw, a rejection and a timeout all become
 * an unhealthy report. On timeout the check's signal is aborted, but the check may go on
 * running; it stays in `entry.running` until it finally stops.
 *
 * A check that throws at once has its report before this returns, so the deadline's timer is
 * armed only once the evaluation has started all its runs (see {@link RunDeadline.arm}).
 */
export function startCheckRun(
  entry: RunEntry,
  probe: ProbeName,
  deadline: RunDeadline,
  redact?: (message: string) => string,
): CheckRun {
  const run = new Run(entry, deadline, redact);
  entry.running = run;
  void callUserInto(entry.check, new RunContext(probe, run), run);
  return run;
}

/** Where a context keeps its run: a symbol rather than `#run`, so that a Proxy of it still works. */
const RUN = Symbol('run');

/**
 * What a check is called with. A class, so that the `signal` getter lives once on the prototype:
 * an object literal with a getter costs about a microsecond to make, and this is made per check
 * on every probe. The signal itself is made only when a check reads it.
 */
class RunContext implements CheckContext {
  readonly probe: ProbeName;
  readonly [RUN]: Run;

  constructor(probe: ProbeName, run: Run) {
    this.probe = probe;
    this[RUN] = run;
  }

  get signal(): AbortSignal {
    return this[RUN].signal();
  }
}

/**
 * A class rather than closures, and waiters rather than promises, because every probe makes one
 * per check: this is the hot path of a probed worker.
 */
class Run implements CheckRun, UserSettlement<unknown> {
  readonly startedAt = nowMs();
  timedOut = false;
  readonly #entry: RunEntry;
  #report: CheckReport | undefined;
  // Nearly always one caller waits: it is kept in two fields, any others in pairs in a list.
  #waiter: RunWaiter | undefined;
  #index = 0;
  #others: (RunWaiter | number)[] | undefined;
  readonly #deadline: RunDeadline;
  readonly #redact: ((message: string) => string) | undefined;
  // Most checks never look at their signal, and an AbortController is not free on every probe.
  #controller: AbortController | undefined;
  #abortReason: HealthsockError | undefined;

  constructor(entry: RunEntry, deadline: RunDeadline, redact: ((message: string) => string) | undefined) {
    this.#entry = entry;
    this.#deadline = deadline;
    this.#redact = redact;
    deadline.add(this);
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
    this.#finish({ name: this.#entry.name, status: 'unhealthy', durationMs: elapsedMs(this.startedAt), message });
  }

  signal(): AbortSignal {
    if (!this.#controller && this.#abortReason) return AbortSignal.abort(this.#abortReason);
    return (this.#controller ??= new AbortController()).signal;
  }

  settled(value: unknown): void {
    if (this.#stopped()) this.#finish(this.#read(value));
  }

  failed(thrown: unknown): void {
    if (!this.#stopped()) return;
    const durationMs = elapsedMs(this.startedAt);
    const message = this.#tidy(describeThrown(thrown)) || 'threw a blank message';
    this.#finish({ name: this.#entry.name, status: 'unhealthy', durationMs, message });
  }

  /**
   * The check has stopped: it leaves the entry. Returns whether its report is still wanted; after
   * a timeout the report is in, and what the check said late is not read at all.
   */
  #stopped(): boolean {
    if (this.#entry.running === this) this.#entry.running = undefined;
    return this.#report === undefined;
  }

  #read(value: unknown): CheckReport {
    const result = readResult(value);
    const text = result.message === undefined ? '' : this.#tidy(result.message);
    // Built key by key, in the order replies have always shown: name, status, data, message, durationMs.
    const report = { name: this.#entry.name, status: result.status } as CheckReport;
    if (result.data !== undefined) report.data = result.data;
    if (text) report.message = text;
    report.durationMs = elapsedMs(this.startedAt);
    return report;
  }

  #tidy(message: string): string {
    return tidyMessage(this.#redact ? this.#redact(message) : message);
  }

  #finish(report: CheckReport): void {
    this.#report = report;
    const waiter = this.#waiter;
    const others = this.#others;
    this.#waiter = undefined;
    this.#others = undefined;
    waiter?.take(this.#index, report);
    // Each caller gets its own report object, so that one caller's listener cannot change
    // another's status or message (a shallow copy: `data` is shared, as it always was).
    if (others)
      for (let i = 0; i < others.length; i += 2) (others[i] as RunWaiter).take(others[i + 1] as number, { ...report });
    this.#deadline.reported();
  }
}
