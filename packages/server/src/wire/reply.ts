import { isProbeName } from '../model/probes.js';
import type { CheckReport, ProbeReport } from '../model/reports.js';
import { isStatus } from '../model/statuses.js';
import { cutText } from '../shared/cutText.js';
import { PROTOCOL_VERSION } from './constants.js';

export type ProbeReply = { v: typeof PROTOCOL_VERSION } & ProbeReport;

export type ProtocolErrorCode =
  | 'ERR_INVALID_REQUEST'
  | 'ERR_UNKNOWN_PROBE'
  | 'ERR_UNSUPPORTED_VERSION'
  | 'ERR_REQUEST_TOO_LARGE'
  | 'ERR_REQUEST_TIMEOUT'
  | 'ERR_OVERLOADED'
  | 'ERR_INTERNAL';

export interface ProtocolError {
  code: ProtocolErrorCode;
  message: string;
}

export interface ErrorReply {
  v: typeof PROTOCOL_VERSION;
  error: ProtocolError;
}

export type Reply = ProbeReply | ErrorReply;

/**
 * The most a probe reply may take, newline included. Docker keeps only 4096 bytes of a health
 * check's output, and the CLI prints a reason line besides the reply, so the reply stays well
 * under that.
 */
export const MAX_REPLY_BYTES = 2800;

/**
 * Encodes a probe reply as one JSON line of at most {@link MAX_REPLY_BYTES}. When a report is
 * larger, it gives up detail in order of usefulness: `data` first, then healthy checks, then
 * long messages, then the failing checks that do not fit; `message` says what was left out.
 */
export function encodeProbeReply(report: ProbeReport): string {
  let line = encode(report);
  if (fits(line)) return line;

  const noted = (checks: CheckReport[]) => {
    const omitted = report.checks.length - checks.length;
    const note =
      omitted > 0 ? `${omitted} of ${report.checks.length} checks left out to keep the reply small` : undefined;
    const message = [report.message, note].filter(Boolean).join('; ');
    return encode({ ...report, ...(message ? { message } : {}), checks });
  };
  const withoutData = report.checks.map(({ name, status, durationMs, message }) => ({
    name,
    status,
    durationMs,
    ...(message === undefined ? {} : { message }),
  }));
  const notHealthy = withoutData.filter((check) => check.status !== 'healthy');
  const short = notHealthy.map((check) =>
    check.message && check.message.length > 80 ? { ...check, message: cutText(check.message, 80) } : check,
  );
  for (const checks of [withoutData, notHealthy, short]) {
    line = noted(checks);
    if (fits(line)) return line;
  }
  let kept = short.length;
  do line = noted(short.slice(0, --kept));
  while (kept > 0 && !fits(line));
  return line;
}

/**
 * One reply line: `v` first, then the report's own keys. Spliced as text rather than spread into
 * a new object, since every probe's reply comes through here.
 */
function encode(report: ProbeReport): string {
  return `{"v":${PROTOCOL_VERSION},${JSON.stringify(report).slice(1)}\n`;
}

/** Whether a line is within {@link MAX_REPLY_BYTES}; no count is needed when even 3 bytes a character fit. */
function fits(line: string): boolean {
  return line.length * 3 <= MAX_REPLY_BYTES || Buffer.byteLength(line) <= MAX_REPLY_BYTES;
}

export function encodeErrorReply(error: ProtocolError): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, error })}\n`;
}

/** The single byte of the `hc` compatibility reply: `0` passes, as an exit code would. */
export function encodeCompatReply(report: ProbeReport): string {
  return report.status === 'unhealthy' ? '1' : '0';
}

export type ParsedReply = { ok: true; reply: Reply } | { ok: false; reason: string };

/**
 * Parses and validates one reply line. Used by clients, which must not trust what arrives on
 * the socket: anything that is not a well-formed v1 reply comes back with the reason.
 */
export function parseReply(line: string): ParsedReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'reply is not JSON' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'reply is not a JSON object' };
  if (value.v !== PROTOCOL_VERSION)
    return { ok: false, reason: `reply has protocol version ${JSON.stringify(value.v)}, expected ${PROTOCOL_VERSION}` };
  if (value.error !== undefined) {
    const { error } = value;
    if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') {
      return { ok: false, reason: 'error reply lacks a code and message' };
    }
    return { ok: true, reply: value as unknown as ErrorReply };
  }
  if (!isProbeName(value.probe)) return { ok: false, reason: 'reply names no known probe' };
  if (!isStatus(value.status)) return { ok: false, reason: 'reply has no valid status' };
  if (typeof value.durationMs !== 'number') return { ok: false, reason: 'reply has no durationMs' };
  if (value.message !== undefined && typeof value.message !== 'string')
    return { ok: false, reason: 'reply message is not a string' };
  if (!Array.isArray(value.checks) || !value.checks.every(isCheckReport)) {
    return { ok: false, reason: 'reply checks are not a list of {name, status, durationMs}' };
  }
  return { ok: true, reply: value as unknown as ProbeReply };
}

function isCheckReport(value: unknown): value is CheckReport {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    isStatus(value.status) &&
    typeof value.durationMs === 'number' &&
    (value.message === undefined || typeof value.message === 'string')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
