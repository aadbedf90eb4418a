import { STATUSES, type Status } from '../model/statuses.js';

/** The worst of the given statuses (unhealthy > degraded > healthy); healthy when there are none. */
export function aggregateStatus(statuses: readonly Status[]): Status {
  let worst = 0;
  for (const status of statuses) worst = Math.max(worst, STATUSES.indexOf(status));
  return STATUSES[worst] ?? 'unhealthy';
}
