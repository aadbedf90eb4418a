import { nowMs } from '../shared/nowMs.js';
import type { ProbeName } from '../model/probes.js';
import type { CheckReport } from '../model/reports.js';
import { callUserSync } from '../user/callUser.js';
import { elapsedMs } from './elapsedMs.js';
import { RunDeadline } from './RunDeadline.js';
import { startCheckRun, type RunEntry, type RunWaiter } from './startCheckRun.js';
import { ERRORS } from '../model/errors.js';

/** A registered check, as an evaluation runs it. */
export interface CheckEntry extends RunEntry {
  readonly timeoutMs: number;
}

/**
 * Runs one evaluation's checks and collects their reports in order. A check already in flight
 * is joined, not started again. Each run keeps its own timeoutMs, with one timer for the runs
 * this evaluation starts; the wait of a caller whose budget is shorter is one more timer for the
 * whole evaluation: the checks start together, so they would reach the budget together.
 */
export function runChecks(
  members: readonly CheckEntry[],
  probe: ProbeName,
  budgetMs: number,
  redact?: Redact,
): Promise<CheckReport[]> {
  if (members.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => new Gathering(members, probe, budgetMs, redact, resolve));
}

/** The registry's `redact` hook: see `Redact` in Registry.ts. */
type Redact = (message: string, context: { check: string }) => string;

/** A check's messages through the worker's `redact` hook, if it has one. */
function redactorFor(redact: Redact | undefined, check: string): ((message: string) => string) | undefined {
  if (!redact) return undefined;
  return (message) => {
    const outcome = callUserSync(() => redact(message, { check }));
    // A broken hook must not leak what it was meant to hide.
    return outcome.ok && typeof outcome.value === 'string' ? outcome.value : '[redacted]';
  };
}

/** The deadline for runs of `timeoutMs`, if there is one yet. A loop, since `find` would make a closure per check. */
function withTimeout(deadlines: readonly RunDeadline[], timeoutMs: number): RunDeadline | undefined {
  for (const deadline of deadlines) if (deadline.timeoutMs === timeoutMs) return deadline;
  return undefined;
}

/** One caller's wait for its checks' reports. */
class Gathering implements RunWaiter {
  readonly #members: readonly CheckEntry[];
  readonly #reports: (CheckReport | undefined)[];
  #pending: number;
  readonly #resolve: (reports: CheckReport[]) => void;
  /** The timers of this caller's own wait, cleared once every report is in. */
  #timers: NodeJS.Timeout[] | undefined;

  constructor(
    members: readonly CheckEntry[],
    probe: ProbeName,
    budgetMs: number,
    redact: Redact | undefined,
    resolve: (reports: CheckReport[]) => void,
  ) {
    const count = members.length;
    this.#members = members;
    this.#reports = new Array<CheckReport | undefined>(count);
    this.#pending = count;
    this.#resolve = resolve;
    const waitMs = Math.round(Math.max(1, budgetMs));
    const waitedFrom = nowMs();
    // The checks that end this caller's wait at its budget rather than at their own timeoutMs.
    let budgeted: number[] | undefined;
    for (let index = 0; index < count; index++) {
      const { timeoutMs } = members[index] as CheckEntry;
      if (waitMs < timeoutMs && Math.round(Math.max(1, Math.min(timeoutMs, budgetMs))) === waitMs) {
        (budgeted ??= []).push(index);
      }
    }
    if (budgeted) {
      const late = budgeted;
      // This caller waits within its own budget; the runs go on for those that wait longer.
      this.#timer(waitMs, () => {
        const durationMs = elapsedMs(waitedFrom);
        const message = ERRORS.ERR_CHECK_TIMEOUT.check(waitMs);
        for (const index of late) this.take(index, this.#unhealthy(index, durationMs, message));
      });
    }
    let deadlines: RunDeadline[] | undefined;
    for (let index = 0; index < count; index++) {
      const entry = members[index] as CheckEntry;
      const { name, timeoutMs, running } = entry;
      if (running?.timedOut) {
        // Starting another run would pile up one stuck call per probe, for ever.
        const sinceMs = Math.round(nowMs() - running.startedAt);
        const message = `still running after it timed out (started ${sinceMs} ms ago)`;
        this.take(index, this.#unhealthy(index, 0, message));
        continue;
      }
      let run = running;
      if (!run) {
        // The run's own limit follows the check's timeoutMs, never the budget of whichever
        // caller came first: a hurried caller must not cut short a patient one.
        let deadline = deadlines && withTimeout(deadlines, timeoutMs);
        if (!deadline) (deadlines ??= []).push((deadline = new RunDeadline(timeoutMs)));
        run = startCheckRun(entry, probe, deadline, redactorFor(redact, name));
      }
      const limitMs = Math.round(Math.max(1, Math.min(timeoutMs, budgetMs)));
      if (limitMs < timeoutMs && limitMs !== waitMs) {
        // A limit of its own below timeoutMs: a fractional timeoutMs rounded below itself.
        this.#timer(limitMs, () =>
          this.take(index, this.#unhealthy(index, elapsedMs(waitedFrom), ERRORS.ERR_CHECK_TIMEOUT.check(limitMs))),
        );
      }
      run.wait(this, index);
    }
    if (deadlines) for (const deadline of deadlines) deadline.arm();
  }

  take(index: number, report: CheckReport): void {
    if (this.#reports[index]) return;
    this.#reports[index] = report;
    if (--this.#pending > 0) return;
    if (this.#timers) for (const timer of this.#timers) clearTimeout(timer);
    this.#resolve(this.#reports as CheckReport[]);
  }

  #unhealthy(index: number, durationMs: number, message: string): CheckReport {
    return { name: (this.#members[index] as CheckEntry).name, status: 'unhealthy', durationMs, message };
  }

  #timer(ms: number, onTimeout: () => void): void {
    (this.#timers ??= []).push(setTimeout(onTimeout, ms).unref());
  }
}
