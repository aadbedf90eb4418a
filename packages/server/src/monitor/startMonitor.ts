import type { ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';

/** Called with each report; `previous` is the one before it (undefined the first time). */
export type OnReport = (report: ProbeReport, previous: ProbeReport | undefined) => unknown;

export interface MonitorOptions {
  probe: ProbeName;
  /** The pause between the end of one evaluation and the start of the next, in ms. */
  intervalMs: number;
  onReport: OnReport;
  /** Where a failed evaluation or `onReport` goes. Default: a process warning. */
  onError?: (error: unknown) => void;
}

/** A running monitor. `stop` resolves once no evaluation or `onReport` call is in progress. */
export interface Monitor {
  stop(): Promise<void>;
}

/**
 * Evaluates a probe now and then every `intervalMs`, and hands each report to `onReport`,
 * with the previous one so that a caller can act on a change only. Evaluations never overlap:
 * the next is scheduled when the last one and its `onReport` are done. The timer never keeps
 * the process alive, and nothing ticks once `stop` is called.
 */
export function startMonitor(evaluate: (probe: ProbeName) => Promise<ProbeReport>, options: MonitorOptions): Monitor {
  const { probe, intervalMs, onReport } = options;
  const onError =
    options.onError ??
    ((error: unknown) => process.emitWarning(`healthsock: monitoring the ${probe} probe failed: ${String(error)}`));
  let previous: ProbeReport | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async () => {
    timer = undefined;
    try {
      const report = await evaluate(probe);
      if (stopped) return;
      await onReport(report, previous);
      previous = report;
    } catch (error) {
      // Nobody awaits a tick: a failure is reported and the next tick tries again.
      onError(error);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs).unref();
  };
  let running: Promise<void> = tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
