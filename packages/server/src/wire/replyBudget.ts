/** Time a client needs after the server replies: the reply's trip and the client's output. */
const REPLY_MARGIN_MS = 50;

/**
 * The budget for evaluating a probe when the client will wait `timeoutMs` in all: a margin is
 * kept for the reply to arrive in time. No deadline means the checks' own timeouts bound it.
 */
export function replyBudget(timeoutMs: number | undefined): { budgetMs?: number } {
  if (timeoutMs === undefined) return {};
  return { budgetMs: timeoutMs - Math.min(REPLY_MARGIN_MS, timeoutMs / 4) };
}
