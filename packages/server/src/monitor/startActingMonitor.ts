import { HealthsockError, type HealthsockErrorCode } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import { startMonitor, type Monitor } from './startMonitor.js';

export interface ActingMonitorOptions {
  probe: ProbeName;
  intervalMs: number;
  /** What acts, in its faults: `the ${name}'s liveness probe failed`. */
  name: string;
  /** The code of a failed evaluation's fault. */
  code: HealthsockErrorCode;
  /** Acts on the first report. Its failure fails the start: a resource that cannot be had is a configuration error now, not later. */
  first: (report: ProbeReport) => Promise<unknown>;
  /** Acts on every later report. A failure is retried at the next interval. */
  next: (report: ProbeReport) => Promise<unknown>;
  /** Undoes what the actions made, once the monitor has stopped: on `stop()`, and after a failed first action. */
  release: () => Promise<unknown>;
  /** A failed action as the error the operator reads, naming what could not be done. */
  translate: (error: unknown) => HealthsockError;
  /** Where a failed evaluation, or a failed later action, is reported. */
  fault: (error: HealthsockError) => void;
}

/**
 * A monitor that acts on each report, for the transports whose state follows a probe (the TCP
 * gate, the heartbeat file). It resolves once the first report has been acted on; if that action
 * fails, it stops, releases, and rejects with the translated error. A failed later action is
 * reported once until an action succeeds again, so a lasting fault is not repeated every interval.
 * Stopping the monitor it resolves with releases too.
 */
export async function startActingMonitor(
  evaluate: (probe: ProbeName) => Promise<ProbeReport>,
  options: ActingMonitorOptions,
): Promise<Monitor> {
  const { probe, intervalMs, name, code, first, next, release, translate, fault } = options;
  let settleFirst: (error?: unknown) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settleFirst = (error) => (error === undefined ? resolve() : reject(error));
  });
  let isFirst = true;
  let warned = false;
  const monitor = startMonitor(evaluate, {
    probe,
    intervalMs,
    onReport: async (report) => {
      if (isFirst) {
        isFirst = false;
        await first(report).then(() => settleFirst(), settleFirst);
        return;
      }
      try {
        await next(report);
        warned = false;
      } catch (error) {
        if (!warned) fault(retrying(translate(error), error, intervalMs));
        warned = true;
      }
    },
    onError: (error) =>
      fault(new HealthsockError(code, `healthsock: the ${name}'s ${probe} probe failed: ${String(error)}`, { cause: error })),
  });
  const stop = async () => {
    await monitor.stop();
    await release();
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw translate(error);
  }
  return { stop };
}

/** A failed later action, as the fault the operator sees: it is retried, not fatal. */
function retrying(translated: HealthsockError, cause: unknown, intervalMs: number): HealthsockError {
  const { code, message } = translated;
  return new HealthsockError(code, `healthsock: ${message}; retrying every ${intervalMs} ms`, { cause });
}
