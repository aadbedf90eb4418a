import { healthsockError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import { callUser } from '../user/callUser.js';
import { describeThrown } from '../user/describeThrown.js';

export interface ShutdownSignalsOptions {
  /** The signals to shut down on, validated already. */
  signals: readonly NodeJS.Signals[];
  /** Drains and closes the server. */
  shutdown: () => Promise<void>;
  /** The application's own stop, once the server has closed. */
  onShutdown: ((signal: NodeJS.Signals) => unknown) | undefined;
  /** Where a failed shutdown or a throwing `onShutdown` is reported: nobody awaits a signal handler. */
  fault: (error: HealthsockError) => void;
}

/** The process's signal listeners for one server. */
export interface ShutdownSignals {
  /** Listens for every signal, or, if one cannot be listened for, for none, and throws. */
  listen(): void;
  /**
   * Gives the signals back to Node's defaults. While a signal-started shutdown runs it does
   * nothing: the listeners stay to ignore a repeated signal, and go once `onShutdown` has settled.
   */
  release(): void;
}

/**
 * Shuts the server down on a signal, then calls `onShutdown`. A repeated signal during the drain
 * is ignored rather than left to Node's default, which would kill the worker mid-drain: the drain
 * runs its course and `onShutdown` runs once.
 */
export function shutdownSignals(options: ShutdownSignalsOptions): ShutdownSignals {
  const { signals, shutdown, onShutdown, fault } = options;
  let state: 'released' | 'listening' | 'shutting down' = 'released';

  const stopListening = () => {
    for (const signal of signals) process.off(signal, onSignal);
    state = 'released';
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (state === 'shutting down') return;
    state = 'shutting down';
    const failed = (thrown: unknown) =>
      fault(healthsockError('ERR_SHUTDOWN_FAILED', 'signal', [signal, describeThrown(thrown)], { cause: thrown }));
    shutdown()
      .then(async () => {
        const outcome = await callUser(() => onShutdown?.(signal));
        if (!outcome.ok) failed(outcome.thrown);
      }, failed)
      // The process is the worker's again, with Node's default for these signals.
      .finally(stopListening);
  };

  return {
    listen() {
      if (state !== 'released') return;
      state = 'listening';
      try {
        for (const signal of signals) process.on(signal, onSignal);
      } catch (error) {
        stopListening();
        throw error;
      }
    },
    release() {
      if (state === 'listening') stopListening();
    },
  };
}
