import type { ProbeName } from './probes.js';
import type { Status } from './statuses.js';

/** The outcome of one check within a probe. */
export interface CheckReport {
  name: string;
  status: Status;
  durationMs: number;
  message?: string;
  data?: unknown;
}

/** The outcome of one probe: its worst check decides its status. */
export interface ProbeReport {
  probe: ProbeName;
  status: Status;
  durationMs: number;
  /** Why the probe has this status when no single check explains it, e.g. `shutting down`. */
  message?: string;
  checks: CheckReport[];
}
