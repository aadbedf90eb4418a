import { healthsockError, retryingError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { ProbeReport } from '../model/reports.js';
import { passes } from '../model/passes.js';
import { startMonitor, type Monitor } from './startMonitor.js';

/** The probe followed, and how often it is evaluated, in ms. */
export interface FollowedProbe {
  probe: ProbeName;
  intervalMs: number;
}

/** What a monitor needs of its server. */
export interface ActingMonitorContext {
  registry: { evaluate(probe: ProbeName): Promise<ProbeReport> };
  /** Where a failed evaluation, or a failed action after the first, is reported. */
  fault: (error: HealthsockError) => void;
}

/** What follows the probe: a resource held while it passes (a listening port, a fresh file). */
export interface ProbeActions {
  /** What acts, in its faults: `the ${name}'s liveness probe failed`. */
  name: string;
  /** The code of a failed evaluation's fault. */
  code: 'ERR_PORT_LISTEN' | 'ERR_HEARTBEAT_FILE';
  /** Makes the resource, or renews it, on a passing report. */
  hold: (report: ProbeReport) => Promise<unknown>;
  /** Lets it go, on a failing report and once the monitor stops. */
  drop: () => Promise<unknown>;
  /** A failed action as the error the operator reads, naming what could not be done. */
  translate: (error: unknown) => HealthsockError;
}

/** A monitor started and stopped with its transport. */
export interface ActingMonitor {
  /**
   * Evaluates the probe now and then every interval, and acts on each report. It resolves once
   * the first report has been acted on: the resource is made even when the probe fails, and let
   * go again, since a resource that cannot be had is a configuration error now, not later. If
   * that fails, it stops, lets go, and rejects with the translated error.
   */
  start(): Promise<void>;
  /** Stops evaluating, then lets the resource go. */
  stop(): Promise<void>;
}

/**
 * A monitor that holds a resource while a probe passes, for the transports whose state follows
 * a probe (the TCP gate, the heartbeat file). A failed later action is reported once until an
 * action succeeds again, so a lasting fault is not repeated every interval.
 */
export function createActingMonitor(
  followed: FollowedProbe,
  context: ActingMonitorContext,
  actions: ProbeActions,
): ActingMonitor {
  const { probe, intervalMs } = followed;
  const { registry, fault } = context;
  const { name, code, hold, drop, translate } = actions;
  let monitor: Monitor | undefined;

  const stop = async () => {
    const current = monitor;
    monitor = undefined;
    await current?.stop();
    await drop().catch(() => undefined);
  };

  return {
    async start() {
      let settleFirst: (error?: unknown) => void = () => undefined;
      const ready = new Promise<void>((resolve, reject) => {
        settleFirst = (error) => (error === undefined ? resolve() : reject(error));
      });
      let isFirst = true;
      let warned = false;
      monitor = startMonitor((followed) => registry.evaluate(followed), {
        probe,
        intervalMs,
        onReport: async (report) => {
          if (isFirst) {
            isFirst = false;
            await hold(report)
              .then(() => (passes(report.status) ? undefined : drop()))
              .then(() => settleFirst(), settleFirst);
            return;
          }
          try {
            await (passes(report.status) ? hold(report) : drop());
            warned = false;
          } catch (error) {
            if (!warned) fault(retryingError(translate(error), intervalMs, error));
            warned = true;
          }
        },
        onError: (error) => fault(healthsockError(code, 'probe', [name, probe, String(error)], { cause: error })),
      });
      try {
        await ready;
      } catch (error) {
        await stop();
        throw translate(error);
      }
    },
    stop,
  };
}
