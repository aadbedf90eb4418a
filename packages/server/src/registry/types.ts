import type { ProbeName } from '../model/probes.js';
import type { Status } from '../model/statuses.js';

/** What a check receives: `signal` aborts when the check runs out of time. */
export interface CheckContext {
  signal: AbortSignal;
  probe: ProbeName;
}

/**
 * A health check. It is unhealthy when it throws or rejects, and otherwise healthy, unless it
 * returns a {@link CheckResult} that says otherwise. Any other return value, such as a query
 * result, counts as healthy.
 */
export type HealthCheck = (context: CheckContext) => unknown;

/** An explicit check outcome, for when "did not throw" is not the whole story. */
export interface CheckResult {
  status: Status;
  message?: string | undefined;
  /** Extra detail for the JSON reply; it must survive `JSON.stringify`, or it is left out. */
  data?: unknown;
}

export interface CheckOptions {
  /**
   * The probes this check takes part in. By default startup and readiness: liveness should only
   * ask "is the process responsive?", because a restart does not fix a dependency.
   */
  probes?: readonly ProbeName[] | undefined;
  /** The most a run of this check may take, in ms. Default 2000. */
  timeoutMs?: number | undefined;
}
