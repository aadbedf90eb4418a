import { cutBytes, oneLine } from '@healthsock/server/protocol';
import type { CheckReport, ProbeReply } from '@healthsock/server/protocol';

/** What to print for a reply: `passed` decides the exit code, `lines` go to one stream. */
export interface FormattedReply {
  passed: boolean;
  lines: string[];
}

/** Docker keeps 4096 bytes of a health check's output; the first line alone stays far below. */
export const MAX_FIRST_LINE_BYTES = 1000;
/** The first line of a failing foreign service's body, shown with `-v`. */
const MAX_BODY_LINE_BYTES = 200;

/**
 * The human output for a reply. The first line stands alone in pod events, so it carries the
 * class, the probe, the socket and the reason; `verbose` adds a line per check, as many as fit
 * in `maxBytes`.
 */
export function formatReply(
  reply: ProbeReply,
  where: string,
  verbose: boolean,
  maxBytes: number,
  body?: string,
): FormattedReply {
  const passed = reply.status !== 'unhealthy';
  const reasons = reply.checks
    .filter((check) => check.status === reply.status && reply.status !== 'healthy')
    .map(describeCheck);
  if (reply.message) reasons.push(reply.message);
  const counted = `${reply.checks.length} ${reply.checks.length === 1 ? 'check' : 'checks'}, ${ms(reply.durationMs)}`;
  // Targets other than a worker answer with a message and no checks: "HTTP 200 OK, 2.1 ms".
  const summary =
    reply.message && reply.checks.length === 0
      ? `${reply.message}, ${ms(reply.durationMs)}`
      : reply.message
        ? `${reply.message}; ${counted}`
        : counted;
  const head =
    reply.status === 'healthy'
      ? `healthy: ${reply.probe} passed at ${where} (${summary})`
      : `${reply.status}: ${reply.probe} ${passed ? 'passed' : 'failed'} at ${where}: ${reasons.join('; ') || counted}`;
  const lines = [cutBytes(oneLine(head), MAX_FIRST_LINE_BYTES)];
  if (!verbose) return { passed, lines };
  // A failing foreign service's own words, filtered and cut like every line from outside.
  if (body) lines.push(`  body: ${cutBytes(oneLine(body), MAX_BODY_LINE_BYTES)}`);
  let used = lines.reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0);
  for (const [index, check] of reply.checks.entries()) {
    const line = oneLine(
      `  ${check.name}: ${check.status} in ${ms(check.durationMs)}${check.message ? `: ${check.message}` : ''}`,
    );
    const more = `  ... ${reply.checks.length - index} more checks`;
    const reserve = index < reply.checks.length - 1 ? more.length + 1 : 0;
    if (used + Buffer.byteLength(line) + 1 + reserve > maxBytes) {
      lines.push(more);
      break;
    }
    lines.push(line);
    used += Buffer.byteLength(line) + 1;
  }
  return { passed, lines };
}

function describeCheck(check: CheckReport): string {
  return `${check.name}: ${check.message ?? check.status} (${ms(check.durationMs)})`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
