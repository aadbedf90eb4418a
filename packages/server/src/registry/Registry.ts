import { performance } from 'node:perf_hooks';
import { HealthsockError } from '../HealthsockError.js';
import { isProbeName, PROBES, type ProbeName } from '../protocol/constants.js';
import type { CheckReport, ProbeReport } from '../protocol/reply.js';
import { aggregateStatus } from './aggregateStatus.js';
import { round, startCheckRun, type CheckRun } from './startCheckRun.js';
import type { CheckOptions, HealthCheck } from './types.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;
const DEFAULT_PROBES: readonly ProbeName[] = ['startup', 'readiness'];
/** Names appear in every reply line and in pod events, so they stay short. */
const MAX_NAME_CHARS = 100;
/** setTimeout fires at once for delays above this, so larger timeouts would never time out. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  name: string;
  check: HealthCheck;
  probes: ReadonlySet<ProbeName>;
  timeoutMs: number;
  /** The run whose check has not settled yet: a check never runs twice at once. */
  running: CheckRun | undefined;
}

/**
 * Rewrites a check's message before it leaves the process, e.g. to mask credentials in a
 * connection string. Whatever it returns is still cut to 200 characters.
 */
export type Redact = (message: string, context: { check: string }) => string;

/** Options for one evaluation of a probe. */
export interface EvaluateOptions {
  /** The most the whole probe may take, e.g. the client's remaining deadline less a margin. */
  budgetMs?: number;
}

/**
 * The checks, which probes they belong to, and how a probe is evaluated: membership,
 * timeouts, coalescing, the startup latch and aggregation. It does no I/O, so every
 * transport can share it.
 */
export class Registry {
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<ProbeName, Promise<ProbeReport>>();
  readonly #redact: Redact | undefined;
  #startupPassed = false;
  #shuttingDown = false;

  constructor(options: { redact?: Redact } = {}) {
    this.#redact = options.redact;
  }

  /** From now on readiness fails without running its checks, so traffic drains away. */
  beginShutdown(): void {
    this.#shuttingDown = true;
  }

  add(name: string, check: HealthCheck, options: CheckOptions = {}): void {
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_CHARS) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `check name must be a non-empty string of at most ${MAX_NAME_CHARS} characters, got ${JSON.stringify(name).slice(0, 60)}`,
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
    this.#entries.set(name, {
      name,
      check,
      probes: new Set(validateProbes(name, options.probes)),
      timeoutMs: validateTimeout(name, options.timeoutMs),
      running: undefined,
    });
  }

  /**
   * Evaluates a probe. Concurrent evaluations of one probe share a single run, and once
   * startup has passed it passes without running any checks again.
   */
  evaluate(probe: ProbeName, options: EvaluateOptions = {}): Promise<ProbeReport> {
    if (probe === 'readiness' && this.#shuttingDown) {
      return Promise.resolve({ probe, status: 'unhealthy', durationMs: 0, message: 'shutting down', checks: [] });
    }
    if (probe === 'startup' && this.#startupPassed) {
      return Promise.resolve({
        probe,
        status: 'healthy',
        durationMs: 0,
        message: 'startup passed earlier',
        checks: [],
      });
    }
    const inFlight = this.#inFlight.get(probe);
    if (inFlight) return inFlight;
    const run = this.#run(probe, options.budgetMs).finally(() => this.#inFlight.delete(probe));
    this.#inFlight.set(probe, run);
    return run;
  }

  async #run(probe: ProbeName, budgetMs = Infinity): Promise<ProbeReport> {
    const startedAt = performance.now();
    const members = [...this.#entries.values()].filter((entry) => entry.probes.has(probe));
    const checks = await Promise.all(
      members.map((entry) => this.#runEntry(entry, probe, Math.max(1, Math.min(entry.timeoutMs, budgetMs)))),
    );
    const status = aggregateStatus(checks.map((check) => check.status));
    if (probe === 'startup' && status !== 'unhealthy') this.#startupPassed = true;
    return { probe, status, durationMs: round(performance.now() - startedAt), checks };
  }

  async #runEntry(entry: Entry, probe: ProbeName, budgetMs: number): Promise<CheckReport> {
    const previous = entry.running;
    if (previous?.timedOut) {
      // Starting another run would pile up one stuck call per probe, for ever.
      const sinceMs = Math.round(performance.now() - previous.startedAt);
      return {
        name: entry.name,
        status: 'unhealthy',
        durationMs: 0,
        message: `still running after it timed out (started ${sinceMs} ms ago)`,
      };
    }
    const run = previous ?? startCheckRun(entry.check, probe, Math.round(budgetMs), this.#redactorFor(entry.name));
    if (!previous) {
      entry.running = run;
      void run.settled.then(() => {
        if (entry.running === run) entry.running = undefined;
      });
    }
    return { name: entry.name, ...(await run.report) };
  }

  #redactorFor(check: string): ((message: string) => string) | undefined {
    const redact = this.#redact;
    if (!redact) return undefined;
    return (message) => {
      try {
        const redacted = redact(message, { check });
        return typeof redacted === 'string' ? redacted : '[redacted]';
      } catch {
        // A broken hook must not leak what it was meant to hide.
        return '[redacted]';
      }
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
      `check ${JSON.stringify(name)}: timeoutMs is ${String(timeoutMs)}; it must be a number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    );
  }
  return timeoutMs;
}
