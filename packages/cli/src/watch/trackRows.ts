import type { ProbeReply } from '@healthsock/server/protocol';

/** One line of the watch: the probe itself, or one of its checks. */
export interface WatchRow {
  name: string;
  /** healthy, degraded, unhealthy, or a failure class such as `timeout` when there was no reply. */
  status: string;
  durationMs: number | undefined;
  message: string | undefined;
  /** When this row's status was first seen (`performance.now()` clock), so: in that state since. */
  since: number;
  /** The status before, when it changed at this ask. */
  was: string | undefined;
}

/** What one ask brought: a reply, or the failure that stood for it. */
export type Outcome = { reply: ProbeReply } | { failure: { code: string; message: string } };

/**
 * The rows for an ask, carrying over each row's `since` from the previous rows while its status
 * holds. The first row is the probe's; then a row per check, in the reply's order.
 */
export function trackRows(previous: readonly WatchRow[], outcome: Outcome, now: number, probe: string): WatchRow[] {
  const before = new Map(previous.map((row) => [row.name, row]));
  const fresh: Omit<WatchRow, 'since' | 'was'>[] =
    'reply' in outcome
      ? [
          {
            name: outcome.reply.probe,
            status: outcome.reply.status,
            durationMs: outcome.reply.durationMs,
            message: outcome.reply.message,
          },
          ...outcome.reply.checks.map((check) => ({
            name: `  ${check.name}`,
            status: check.status,
            durationMs: check.durationMs,
            message: check.message,
          })),
        ]
      : [
          {
            name: probe,
            status: outcome.failure.code,
            durationMs: undefined,
            message: outcome.failure.message,
          },
        ];
  return fresh.map((row) => {
    const old = before.get(row.name);
    const same = old !== undefined && old.status === row.status;
    return { ...row, since: same ? old.since : now, was: same ? undefined : old?.status };
  });
}
