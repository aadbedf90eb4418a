import { raceDeadline } from '../shared/raceDeadline.js';

/**
 * Settles like `promise`, or with `onTimeout()` once `ms` have passed, whichever comes first.
 * The timer never keeps the process alive and is cleared as soon as either side wins.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  return raceDeadline(ms, onTimeout, ({ done, fail }) => void promise.then(done, fail));
}
