import type { HealthCheck } from '../registry/types.js';

/**
 * What a built-in check that holds a resource (a timer, a histogram) exposes to the server that
 * runs it: the server starts it when the check is added and stops it on `close()`, so that a
 * closed server leaves nothing running. A symbol, not a plain member, so that a user's own
 * function with a `start` property is never mistaken for one; `Symbol.for` so that two copies
 * of the package still agree.
 */
export const CHECK_RESOURCE = Symbol.for('healthsock.checkResource');

export interface CheckResource {
  /** Starts (or keeps) the resource running. Each call must be matched by one `stop()`. */
  start(): void;
  stop(): void;
}

/** The resource a check holds, if it is a built-in that holds one. */
export function checkResourceOf(check: HealthCheck): CheckResource | undefined {
  const resource = (check as { [CHECK_RESOURCE]?: unknown })[CHECK_RESOURCE];
  return typeof resource === 'object' && resource !== null ? (resource as CheckResource) : undefined;
}
