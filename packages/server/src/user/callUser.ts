import { describeThrown } from './describeThrown.js';

/**
 * How a call into the worker's own code ended: its value, or what it threw or rejected with,
 * already described as text that can be logged without throwing again.
 */
export type UserOutcome<T> = { ok: true; value: T } | { ok: false; thrown: unknown; reason: string };

/**
 * Calls the worker's code when its answer is needed at once (`redact`). It never throws: a
 * throw of any value, however hostile, comes back as a failed outcome.
 */
export function callUserSync<T>(invoke: () => T): UserOutcome<T> {
  try {
    return { ok: true, value: invoke() };
  } catch (thrown) {
    return failed(thrown);
  }
}

/**
 * Calls the worker's code (a check, a listener, the logger, `onShutdown`) at once, and settles
 * with its outcome once whatever it returned has settled. The promise never rejects, so no
 * throw or rejection of the worker's can reach the process as an uncaught exception or an
 * unhandled rejection: a sync throw, a rejected promise, and a thenable whose `then` throws or
 * that is a revoked proxy all become a failed outcome.
 */
export function callUser<T>(invoke: () => T): Promise<UserOutcome<Awaited<T>>> {
  let returned: T;
  try {
    returned = invoke();
  } catch (thrown) {
    return Promise.resolve(failed(thrown));
  }
  // `new Promise` rather than `Promise.resolve`: the latter reads `constructor` of a promise
  // it is given, and a worker's promise subclass could make that read throw.
  return new Promise<Awaited<T>>((resolve) => resolve(returned as Awaited<T>)).then(
    (value): UserOutcome<Awaited<T>> => ({ ok: true, value }),
    failed,
  );
}

/** Hears how a call into the worker's code ended. Neither method may throw. */
export interface UserSettlement<T> {
  settled(value: Awaited<T>): void;
  failed(thrown: unknown): void;
}

/**
 * {@link callUser} for the hot path: a check's run, once per check on every probe. The outcome
 * goes to `into` rather than into an outcome object behind a promise of it, and `invoke` gets
 * its one argument directly, so a call costs no more than awaiting what the check returned.
 *
 * `await` is as safe as `new Promise(resolve)`: a promise whose `constructor` getter throws, a
 * thenable whose `then` throws and a revoked proxy all become a failure. A native promise is read
 * by its state, so a `then` property set on it is not called. Unlike {@link callUser}, a
 * synchronous throw is heard at once, before this returns.
 */
export async function callUserInto<A, T>(
  invoke: (argument: A) => T,
  argument: A,
  into: UserSettlement<T>,
): Promise<void> {
  let value: Awaited<T>;
  try {
    value = await invoke(argument);
  } catch (thrown) {
    into.failed(thrown);
    return;
  }
  into.settled(value);
}

function failed(thrown: unknown): { ok: false; thrown: unknown; reason: string } {
  return { ok: false, thrown, reason: describeThrown(thrown) };
}
