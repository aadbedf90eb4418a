import { healthsockError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import type { Status } from '../model/statuses.js';
import { validateFunction, validateKnown } from '../options/validators.js';
import { callUser } from '../user/callUser.js';

/** The events a server emits. */
const EVENTS = ['change', 'error'] as const;

/** What a `change` listener receives: a probe's aggregate status moved between two evaluations. */
export interface ChangeEvent {
  probe: ProbeName;
  from: Status;
  to: Status;
  /** The evaluation that saw the new status. */
  report: ProbeReport;
}

/** Where the server logs state changes and its own faults: `console` fits, as do pino and winston. */
export interface HealthLogger {
  warn(message: string): unknown;
  info(message: string): unknown;
}

export type ChangeListener = (event: ChangeEvent) => unknown;
export type ErrorListener = (error: HealthsockError) => unknown;

/**
 * A server's `change` and `error` events and its logger. Changes are seen by the registry, so
 * they fire whichever transport or monitor evaluated the probe, once per transition. Listeners
 * are called synchronously; one that throws or rejects, with any value, is reported as a fault and
 * breaks nothing.
 * Faults go to the `error` listeners and the logger, or else, as before either existed, to a
 * process warning.
 */
export class HealthEvents {
  readonly #logger: HealthLogger | undefined;
  readonly #changeListeners: ChangeListener[] = [];
  readonly #errorListeners: ErrorListener[] = [];
  readonly #last = new Map<ProbeName, Status>();

  constructor(logger?: HealthLogger) {
    this.#logger = logger;
  }

  on(event: 'change' | 'error', listener: ChangeListener | ErrorListener): void {
    validateFunction(`a ${String(event)} listener`, listener, false);
    validateKnown('unknown event', event, EVENTS, "'change' or 'error'");
    if (event === 'change') this.#changeListeners.push(listener as ChangeListener);
    else this.#errorListeners.push(listener as ErrorListener);
  }

  off(event: 'change' | 'error', listener: ChangeListener | ErrorListener): void {
    const listeners: unknown[] = event === 'change' ? this.#changeListeners : this.#errorListeners;
    const index = listeners.lastIndexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }

  /** Takes note of an evaluation's outcome, and announces a change from the one before it. */
  observe(report: ProbeReport): void {
    const from = this.#last.get(report.probe);
    const to = report.status;
    this.#last.set(report.probe, to);
    if (from === undefined || from === to) return;
    const line = `healthsock: ${report.probe} ${from} -> ${to}${describeWhy(report)}`;
    this.#log(to === 'healthy' ? 'info' : 'warn', line);
    const event: ChangeEvent = { probe: report.probe, from, to, report };
    for (const listener of [...this.#changeListeners]) {
      this.#call('change', () => listener(event));
    }
  }

  /** Reports one of the server's own faults: never a check's failure, which is data. It never throws. */
  fault(error: HealthsockError): void {
    this.#log('warn', error.message);
    for (const listener of [...this.#errorListeners]) {
      void callUser(() => listener(error)).then((outcome) => {
        // The error channel itself is broken: the process warning is what is left.
        if (!outcome.ok) warnProcess(`healthsock: an 'error' listener failed: ${outcome.reason}`);
      });
    }
    if (this.#errorListeners.length === 0 && !this.#logger) warnProcess(error);
  }

  #call(event: string, invoke: () => unknown): void {
    void callUser(invoke).then((outcome) => {
      if (outcome.ok) return;
      this.fault(
        healthsockError('ERR_LISTENER_FAILED', 'listener', [event, outcome.reason], { cause: outcome.thrown }),
      );
    });
  }

  #log(level: 'info' | 'warn', message: string): void {
    const logger = this.#logger;
    if (!logger) return;
    // A log shipper that is down must not take the worker with it, least of all when a dependency fails.
    void callUser(() => logger[level](message)).then((outcome) => {
      if (!outcome.ok) warnProcess(`healthsock: the logger failed: ${outcome.reason}`);
    });
  }
}

/** The first failing check and its message, or the probe's own message: the line's reason. */
function describeWhy(report: ProbeReport): string {
  const failing = report.checks.find((check) => check.status === report.status && check.status !== 'healthy');
  if (failing) return `: ${failing.name}${failing.message ? `: ${failing.message}` : ''}`;
  return report.message ? `: ${report.message}` : '';
}

/** The last resort: only our own errors and our own text reach it, so it cannot throw on a worker's value. */
function warnProcess(warning: string | HealthsockError): void {
  try {
    process.emitWarning(warning);
  } catch {
    // Nowhere is left to report it, and the last resort must not throw.
  }
}
