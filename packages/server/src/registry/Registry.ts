import { performance } from 'node:perf_hooks';
import { HealthsockError } from '../model/HealthsockError.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { isProbeName, PROBES, type ProbeName } from '../model/probes.js';
import type { CheckReport, ProbeReport } from '../model/reports.js';
import { describeValue } from '../options/describeValue.js';
import { rejectUnknownKeys } from '../options/rejectUnknownKeys.js';
import { callUserSync } from '../user/callUser.js';
import { aggregateStatus } from './aggregateStatus.js';
import { elapsedMs } from './elapsedMs.js';
import { startCheckRun, type CheckRun } from './startCheckRun.js';
import { isOneLine } from '../shared/oneLine.js';
import type { CheckOptions, HealthCheck } from './types.js';
import { withTimeout } from './withTimeout.js';

const DEFAULT_CHECK_TIMEOUT_MS = 2000;
const DEFAULT_PROBES: readonly ProbeName[] = ['startup', 'readiness'];
/** Every key of {@link CheckOptions}: any other is a typo, refused with a suggestion. */
const CHECK_OPTION_KEYS = ['probes', 'timeoutMs'] as const;
/** Names appear in every reply line and in pod events, so they stay short. */
const MAX_NAME_CHARS = 100;

interface Entry {
  name: string;
  check: HealthCheck;
  probes: ReadonlySet<ProbeName>;
  timeoutMs: number;
  /** The run whose check has not settled yet: a check never runs twice at once. */
  running: CheckRun | undefined;
}

/**
 * Sees an evaluation's report. `whole` is false when it asked for only some of the probe's checks
 * (`exclude`, `only`): their results are the checks' latest, but that is not the probe's status.
 */
export type OnReport = (report: ProbeReport, whole: boolean) => void;

/**
 * Rewrites a check's message before it leaves the process, e.g. to mask credentials in a
 * connection string. Whatever it returns is still cut to 200 characters.
 */
export type Redact = (message: string, context: { check: string }) => string;

/** Options for one evaluation of a probe. */
export interface EvaluateOptions {
  /** The most the whole probe may take, e.g. the client's remaining deadline less a margin. */
  budgetMs?: number | undefined;
  /** Leaves these checks out of this evaluation. */
  exclude?: readonly string[] | undefined;
  /** Runs this one check of the probe alone. */
  only?: string | undefined;
}

/**
 * The checks, which probes they belong to, and how a probe is evaluated: membership,
 * timeouts, coalescing, the startup latch and aggregation. It does no I/O, so every
 * transport can share it.
 */
export class Registry {
  readonly #entries = new Map<string, Entry>();
  readonly #redact: Redact | undefined;
  #startupPassed = false;
  #shuttingDown = false;

  readonly #onReport: OnReport | undefined;

  /** `onReport` sees every evaluation's report, whoever asked: a transport, a monitor or `probe()`. */
  constructor(options: { redact?: Redact; onReport?: OnReport } = {}) {
    this.#redact = options.redact;
    this.#onReport = options.onReport;
  }

  /** From now on readiness fails without running its checks, so traffic drains away. */
  beginShutdown(): void {
    this.#shuttingDown = true;
  }

  add(name: string, check: HealthCheck, options: CheckOptions = {}): void {
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_CHARS || !isOneLine(name)) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `check name must be a non-empty string of at most ${MAX_NAME_CHARS} characters on one line, got ${String(JSON.stringify(name)).slice(0, 60)}`,
      );
    }
    if (this.#entries.has(name)) {
      throw new HealthsockError('ERR_DUPLICATE_CHECK', `a check named ${JSON.stringify(name)} is already registered`);
    }
    if (typeof check !== 'function') {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `check ${JSON.stringify(name)} must be a function, got ${typeof check}`,
      );
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `check ${JSON.stringify(name)}: options must be an object, got ${describeValue(options)}`,
      );
    }
    rejectUnknownKeys(`check ${JSON.stringify(name)}`, options, CHECK_OPTION_KEYS);
    this.#entries.set(name, {
      name,
      check,
      probes: new Set(validateProbes(name, options.probes)),
      timeoutMs: validateTimeout(name, options.timeoutMs),
      running: undefined,
    });
  }

  /**
   * Evaluates a probe. A check runs once at a time: concurrent probes share its run, each
   * within its own budget. Once startup has passed it passes without running checks again.
   */
  async evaluate(probe: ProbeName, options: EvaluateOptions = {}): Promise<ProbeReport> {
    const report = await this.#evaluate(probe, options);
    this.#onReport?.(report, isWhole(options));
    return report;
  }

  async #evaluate(probe: ProbeName, options: EvaluateOptions): Promise<ProbeReport> {
    const { budgetMs = Infinity } = options;
    if (!isProbeName(probe)) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `unknown probe ${JSON.stringify(probe)}; use one of ${PROBES.join(', ')}`,
      );
    }
    if (typeof budgetMs !== 'number' || Number.isNaN(budgetMs) || budgetMs <= 0) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `budgetMs is ${String(budgetMs)}; it must be a number of milliseconds above 0`,
      );
    }
    if (probe === 'readiness' && this.#shuttingDown) {
      return { probe, status: 'unhealthy', durationMs: 0, message: 'shutting down', checks: [] };
    }
    if (probe === 'startup' && this.#startupPassed) {
      return { probe, status: 'healthy', durationMs: 0, message: 'startup passed earlier', checks: [] };
    }
    const startedAt = performance.now();
    const { exclude = [], only } = options;
    if (!Array.isArray(exclude) || !exclude.every((name) => typeof name === 'string')) {
      throw new HealthsockError('ERR_INVALID_OPTION', `exclude must be a list of check names, got ${String(exclude)}`);
    }
    if (only !== undefined && typeof only !== 'string') {
      throw new HealthsockError('ERR_INVALID_OPTION', `only must be a check name, got ${typeof only}`);
    }
    const members = [...this.#entries.values()].filter(
      (entry) =>
        entry.probes.has(probe) && !exclude.includes(entry.name) && (only === undefined || entry.name === only),
    );
    const checks = await this.#runEntries(members, probe, budgetMs);
    const status = aggregateStatus(checks.map((check) => check.status));
    // Only the whole probe passing ends startup, not a part of it.
    if (probe === 'startup' && status !== 'unhealthy' && isWhole(options)) this.#startupPassed = true;
    return { probe, status, durationMs: elapsedMs(startedAt), checks };
  }

  /** The names of the checks that take part in `probe`, in the order they were added. */
  checkNames(probe: ProbeName): string[] {
    return [...this.#entries.values()].filter((entry) => entry.probes.has(probe)).map((entry) => entry.name);
  }

  /**
   * Runs the evaluation's checks and collects their reports in order. A check's run keeps its own
   * limit, but the wait of a caller whose budget is shorter is one timer for the whole evaluation:
   * the checks start together, so they would reach the budget together.
   */
  #runEntries(members: readonly Entry[], probe: ProbeName, budgetMs: number): Promise<CheckReport[]> {
    const count = members.length;
    if (count === 0) return Promise.resolve([]);
    const reports = new Array<CheckReport | undefined>(count);
    const waitMs = Math.round(Math.max(1, budgetMs));
    return new Promise((resolve) => {
      let pending = count;
      let timer: NodeJS.Timeout | undefined;
      const settle = (index: number, report: CheckReport): void => {
        if (reports[index]) return;
        reports[index] = report;
        if (--pending > 0) return;
        clearTimeout(timer);
        resolve(reports as CheckReport[]);
      };
      // The checks that end this caller's wait at its budget rather than at their own timeoutMs.
      const budgeted: number[] = [];
      for (let index = 0; index < count; index++) {
        const { timeoutMs } = members[index] as Entry;
        if (waitMs < timeoutMs && Math.round(Math.max(1, Math.min(timeoutMs, budgetMs))) === waitMs) {
          budgeted.push(index);
        }
      }
      const waitedFrom = performance.now();
      if (budgeted.length > 0) {
        // This caller waits within its own budget; the runs go on for those that wait longer.
        timer = setTimeout(() => {
          const durationMs = elapsedMs(waitedFrom);
          const message = `timed out after ${waitMs} ms`;
          for (const index of budgeted) {
            settle(index, { name: (members[index] as Entry).name, status: 'unhealthy', durationMs, message });
          }
        }, waitMs);
        timer.unref();
      }
      for (let index = 0; index < count; index++) {
        const entry = members[index] as Entry;
        const { name, timeoutMs, running } = entry;
        if (running?.timedOut) {
          // Starting another run would pile up one stuck call per probe, for ever.
          const sinceMs = Math.round(performance.now() - running.startedAt);
          const message = `still running after it timed out (started ${sinceMs} ms ago)`;
          settle(index, { name, status: 'unhealthy', durationMs: 0, message });
          continue;
        }
        const run = running ?? this.#start(entry, probe);
        const limitMs = Math.round(Math.max(1, Math.min(timeoutMs, budgetMs)));
        // A limit of its own below timeoutMs: a fractional timeoutMs rounded below itself.
        const report =
          limitMs >= timeoutMs || limitMs === waitMs
            ? run.report
            : withTimeout(run.report, limitMs, () => ({
                status: 'unhealthy' as const,
                durationMs: elapsedMs(waitedFrom),
                message: `timed out after ${limitMs} ms`,
              }));
        void report.then((result) => settle(index, { name, ...result }));
      }
    });
  }

  /** Starts a run of the check, which callers share until it settles. */
  #start(entry: Entry, probe: ProbeName): CheckRun {
    // The run's own limit and signal follow the check's timeoutMs, never the budget of
    // whichever caller came first: a hurried caller must not cut short a patient one.
    const started = startCheckRun(entry.check, probe, entry.timeoutMs, this.#redactorFor(entry.name));
    entry.running = started;
    void started.settled.then(() => {
      if (entry.running === started) entry.running = undefined;
    });
    return started;
  }

  #redactorFor(check: string): ((message: string) => string) | undefined {
    const redact = this.#redact;
    if (!redact) return undefined;
    return (message) => {
      const outcome = callUserSync(() => redact(message, { check }));
      // A broken hook must not leak what it was meant to hide.
      return outcome.ok && typeof outcome.value === 'string' ? outcome.value : '[redacted]';
    };
  }
}

function validateProbes(name: string, probes: readonly ProbeName[] | undefined): readonly ProbeName[] {
  if (probes === undefined) return DEFAULT_PROBES;
  if (!Array.isArray(probes) || probes.length === 0 || !probes.every(isProbeName)) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `check ${JSON.stringify(name)}: probes must be a non-empty list of ${PROBES.join(', ')}, got ${JSON.stringify(probes)}`,
    );
  }
  return probes;
}

function validateTimeout(name: string, timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_CHECK_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `check ${JSON.stringify(name)}: timeoutMs is ${describeValue(timeoutMs)}; it must be a number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    );
  }
  return timeoutMs;
}

/** Whether an evaluation asks for the whole probe, rather than some of its checks. */
function isWhole({ exclude, only }: EvaluateOptions): boolean {
  return (exclude === undefined || exclude.length === 0) && only === undefined;
}
