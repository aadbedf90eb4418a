// Waiting in tests: a plain pause, and polling for a state that arrives in its own time. Every
// test waits through these, so that a wait has one shape and one failure message everywhere.

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface PollOptions {
  /** How long to keep trying before giving up. Default 5000 ms. */
  withinMs?: number;
  /** The pause between two tries. Default 10 ms. */
  everyMs?: number;
}

/**
 * Reads `read()` every `everyMs` until `done` holds of its value, and resolves with that value; once
 * `withinMs` have passed it resolves with the last value read, `done` or not, for the caller's
 * assertion to show what it was.
 */
export async function pollFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { withinMs = 5000, everyMs = 10 }: PollOptions = {},
): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > deadline) return value;
    await sleep(everyMs);
  }
}

/**
 * Calls `condition()` every `everyMs` until it holds, and resolves with the milliseconds that took;
 * rejects with `not within <withinMs> ms` (after `what`, when given) once that has passed.
 */
export async function pollUntil(
  condition: () => boolean | Promise<boolean>,
  { withinMs = 5000, everyMs = 10, what }: PollOptions & { what?: string } = {},
): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > withinMs) {
      throw new Error(`${what ? `${what}: ` : ''}not within ${withinMs} ms`);
    }
    await sleep(everyMs);
  }
  return performance.now() - started;
}
