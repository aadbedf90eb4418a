import type { CheckReport, ProbeReply } from '@healthsock/server/protocol';

/** What to print for a reply: `passed` decides the exit code, `lines` go to one stream. */
export interface FormattedReply {
  passed: boolean;
  lines: string[];
}

/** Docker keeps 4096 bytes of a health check's output; the first line alone stays far below. */
export const MAX_FIRST_LINE_BYTES = 1000;

/**
 * The human output for a reply. The first line stands alone in pod events, so it carries the
 * class, the probe, the socket and the reason; `verbose` adds a line per check, as many as fit
 * in `maxBytes`.
 */
export function formatReply(reply: ProbeReply, where: string, verbose: boolean, maxBytes: number): FormattedReply {
  const passed = reply.status !== 'unhealthy';
  const reasons = reply.checks
    .filter((check) => check.status === reply.status && reply.status !== 'healthy')
    .map(describeCheck);
  if (reply.message) reasons.push(reply.message);
  const counted = `${reply.checks.length} ${reply.checks.length === 1 ? 'check' : 'checks'}, ${ms(reply.durationMs)}`;
  const head =
    reply.status === 'healthy'
      ? `healthy: ${reply.probe} passed at ${where} (${reply.message ? `${reply.message}; ` : ''}${counted})`
      : `${reply.status}: ${reply.probe} ${passed ? 'passed' : 'failed'} at ${where}: ${reasons.join('; ') || counted}`;
  const lines = [cut(oneLine(head), MAX_FIRST_LINE_BYTES)];
  if (!verbose) return { passed, lines };
  let used = Buffer.byteLength(lines[0] ?? '') + 1;
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

/**
 * Each output line stays one line whatever a server sends: a line break in a message would split
 * the reason that pod events show, and other control characters could drive the terminal.
 */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029][\s\p{Cc}]*/gu, ' ');
}

/** Cuts `text` to at most `maxBytes` of UTF-8, ending in an ellipsis, without splitting a character. */
function cut(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let end = Math.min(text.length, maxBytes);
  while (end > 0 && Buffer.byteLength(text.slice(0, end)) > maxBytes - 3) end--;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

function describeCheck(check: CheckReport): string {
  return `${check.name}: ${check.message ?? check.status} (${ms(check.durationMs)})`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
