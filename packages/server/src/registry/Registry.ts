import { performance } from 'node:perf_hooks';
import { HealthsockError } from '../model/HealthsockError.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { isProbeName, PROBES, type ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import { describeValue } from '../options/describeValue.js';
import { rejectUnknownKeys } from '../options/rejectUnknownKeys.js';
import { aggregateStatus } from './aggregateStatus.js';
import { elapsedMs } from './elapsedMs.js';
import { runChecks, type CheckEntry } from './runChecks.js';
import type { CheckRun } from './startCheckRun.js';
import { isOneLine } from './tidyMessage.js';
import type { CheckOptions, HealthCheck } from './types.js';

const DEFAULT_CHECK_TIMEOUT_MS = 2000;
const DEFAULT_PROBES: readonly ProbeName[] = ['startup', 'readiness'];
/** Every key of {@link CheckOptions}: any other is a typo, refused with a suggestion. */
const CHECK_OPTION_KEYS = ['probes', 'timeoutMs'] as const;
/** Names appear in every reply line and in pod events, so they stay short. */
const MAX_NAME_CHARS = 100;

interface Entry extends CheckEntry {
  probes: ReadonlySet<ProbeName>;
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
  evaluate(probe: ProbeName, options: EvaluateOptions = {}): Promise<ProbeReport> {
    // A plain promise chain rather than `async` layers: every probe comes through here.
    try {
      const evaluated = this.#evaluate(probe, options);
      return evaluated instanceof Promise ? evaluated : Promise.resolve(evaluated);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** The report, or a promise of it when checks run; throws on invalid options. */
  #evaluate(probe: ProbeName, options: EvaluateOptions): ProbeReport | Promise<ProbeReport> {
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
      return this.#reported(
        { probe, status: 'unhealthy', durationMs: 0, message: 'shutting down', checks: [] },
        options,
      );
    }
    if (probe === 'startup' && this.#startupPassed) {
      return this.#reported(
        { probe, status: 'healthy', durationMs: 0, message: 'startup passed earlier', checks: [] },
        options,
      );
    }
    const startedAt = performance.now();
    const { exclude = [], only } = options;
    if (!Array.isArray(exclude) || !exclude.every((name) => typeof name === 'string')) {
      throw new HealthsockError('ERR_INVALID_OPTION', `exclude must be a list of check names, got ${String(exclude)}`);
    }
    if (only !== undefined && typeof only !== 'string') {
      throw new HealthsockError('ERR_INVALID_OPTION', `only must be a check name, got ${typeof only}`);
    }
    const members: Entry[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.probes.has(probe) && !exclude.includes(entry.name) && (only === undefined || entry.name === only)) {
        members.push(entry);
      }
    }
    return runChecks(members, probe, budgetMs, this.#redact).then((checks) => {
      const status = aggregateStatus(checks.map((check) => check.status));
      // Only the whole probe passing ends startup, not a part of it.
      if (probe === 'startup' && status !== 'unhealthy' && isWhole(options)) this.#startupPassed = true;
      return this.#reported({ probe, status, durationMs: elapsedMs(startedAt), checks }, options);
    });
  }

  /** Hands every evaluation's report to `onReport`, whoever asked. */
  #reported(report: ProbeReport, options: EvaluateOptions): ProbeReport {
    this.#onReport?.(report, isWhole(options));
    return report;
  }

  /** The names of the checks that take part in `probe`, in the order they were added. */
  checkNames(probe: ProbeName): string[] {
    return [...this.#entries.values()].filter((entry) => entry.probes.has(probe)).map((entry) => entry.name);
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
