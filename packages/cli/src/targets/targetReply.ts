import { PROTOCOL_VERSION, type ProbeName, type ProbeReply, type Status } from '@healthsock/server/protocol';

/** The answer of a target that is not a healthsock worker, as a reply: one shape for every target. */
export function targetReply(probe: ProbeName, status: Status, durationMs: number, message: string): ProbeReply {
  return { v: PROTOCOL_VERSION, probe, status, durationMs: Math.round(durationMs * 10) / 10, message, checks: [] };
}
