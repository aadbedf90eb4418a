import type { Status } from './statuses.js';

/** Whether a probe with this status passes: degraded passes, only unhealthy fails. */
export function passes(status: Status): boolean {
  return status !== 'unhealthy';
}
