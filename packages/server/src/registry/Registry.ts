import { nowMs } from '../shared/nowMs.js';
import { healthsockError } from '../model/errors.js';
import { DEFAULT_CHECK_PROBES, DEFAULT_CHECK_TIMEOUT_MS, MAX_CHECK_NAME_CHARS } from '../model/limits.js';
import { isProbeName, PROBES, type ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import {
  validateBudget,
  validateDuration,
  validateFunction,
  validateKnown,
  validateList,
  validateName,
  validateObject,
  validateString,
} from '../options/validators.js';
import { aggregateStatus } from './aggregateStatus.js';
import { elapsedMs } from './elapsedMs.js';
import { runChecks, type CheckEntry } from './runChecks.js';
import type { CheckRun } from './startCheckRun.js';
import type { CheckOptions, HealthCheck } from './types.js';

/** Every key of {@link CheckOptions}: any other is a typo, refused with a suggestion. */
const CHECK_OPTION_KEYS = ['probes', 'timeoutMs'] as const;
/** What an unknown probe is told to use instead; worded once rather than on every evaluation. */
const KNOWN_PROBES = `one of ${PROBES.join(', ')}`;
/** The default `exclude` and its rule, made once rather than on every evaluation. */
const NONE: readonly string[] = [];
const EXCLUDE_RULES = { item: (name: unknown) => typeof name === 'string' };

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
    validateName('check name', name, MAX_CHECK_NAME_CHARS);
    if (this.#entries.has(name)) throw healthsockError('ERR_DUPLICATE_CHECK', 'name', [name]);
    const where = `check ${JSON.stringify(name)}`;
    validateFunction(where, check, false);
    validateObject(`${where}: options`, options, { known: CHECK_OPTION_KEYS, where });
    const probes =
      options.probes === undefined
        ? DEFAULT_CHECK_PROBES
        : validateList<ProbeName>(`${where}: probes`, options.probes, `a non-empty list of ${PROBES.join(', ')}`, {
            item: isProbeName,
            nonEmpty: true,
          });
    this.#entries.set(name, {
      name,
      check,
      probes: new Set(probes),
      timeoutMs: validateDuration(`${where}: timeoutMs`, options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS),
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
    validateKnown('unknown probe', probe, PROBES, KNOWN_PROBES);
    validateBudget('budgetMs', budgetMs);
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
    const startedAt = nowMs();
    const { exclude = NONE, only } = options;
    validateList('exclude', exclude, 'a list of check names', EXCLUDE_RULES);
    if (only !== undefined) validateString('only', only, 'a check name', 'any');
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

/** Whether an evaluation asks for the whole probe, rather than some of its checks. */
function isWhole({ exclude, only }: EvaluateOptions): boolean {
  return (exclude === undefined || exclude.length === 0) && only === undefined;
}
