/** Settles a {@link raceDeadline}: with the work's value, or with its failure. */
export interface Settle<T> {
  done(value: T): void;
  fail(error: unknown): void;
}

/**
 * The one deadline race, for the server's checks and the CLI's targets alike. `start` begins the
 * work with a {@link Settle} and returns how to stop it (close its socket, say), or nothing. The
 * promise settles with the first of the work's `done` or `fail`, and `late()` once `ms` have
 * passed (its value, or what it throws); whichever comes first clears the timer and stops the
 * work, and every later call does nothing. The timer never keeps the process alive: the work
 * itself does, while it runs.
 */
export function raceDeadline<T>(
  ms: number,
  late: () => T,
  start: (settle: Settle<T>) => (() => void) | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stop: (() => void) | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop?.();
      outcome();
    };
    const settle: Settle<T> = {
      done: (value) => finish(() => resolve(value)),
      fail: (error) => finish(() => reject(error)),
    };
    const timer = setTimeout(
      () => {
        try {
          settle.done(late());
        } catch (error) {
          settle.fail(error);
        }
      },
      Math.max(0, ms),
    );
    timer.unref();
    try {
      stop = start(settle);
    } catch (error) {
      settle.fail(error);
    }
    // The work may have settled before it said how to stop it.
    if (settled) stop?.();
  });
}
