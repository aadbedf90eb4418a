import type { ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import { startMonitor, type Monitor } from './startMonitor.js';

export interface ActingMonitorOptions {
  probe: ProbeName;
  intervalMs: number;
  /** Acts on the first report. Its failure fails the start: a resource that cannot be had is a configuration error now, not later. */
  first: (report: ProbeReport) => Promise<unknown>;
  /** Acts on every later report. A failure is retried at the next interval. */
  next: (report: ProbeReport) => Promise<unknown>;
  /** Told of a failed `next`, once until an action succeeds again, so a lasting fault is not repeated every interval. */
  onActionError: (error: unknown) => void;
  /** Told of a failed evaluation. */
  onError: (error: unknown) => void;
}

/**
 * A monitor that acts on each report, for the transports whose state follows a probe (the TCP
 * gate, the heartbeat file). `ready` settles once the first report has been acted on, and
 * rejects with that action's error; `monitor` is there at once, so it can be stopped meanwhile.
 */
export function startActingMonitor(
  evaluate: (probe: ProbeName) => Promise<ProbeReport>,
  options: ActingMonitorOptions,
): { monitor: Monitor; ready: Promise<void> } {
  const { probe, intervalMs, first, next, onActionError, onError } = options;
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
        if (!warned) onActionError(error);
        warned = true;
      }
    },
    onError,
  });
  return { monitor, ready };
}
