import { isProbeName, PROBES, type ProbeName } from '../model/probes.js';
import { cutText } from '../shared/cutText.js';
import { COMPAT_REQUEST, MAX_DEADLINE_MS, PROTOCOL_VERSION } from './constants.js';
import type { ProtocolError } from './reply.js';

/** A request the server can answer. `format: 'byte'` is the `hc` compatibility request. */
export interface ProbeRequest {
  probe: ProbeName;
  /** What is left of the client's deadline, so that checks can be cut short in time to reply. */
  timeoutMs?: number;
  format: 'json' | 'byte';
}

export type ParsedRequest = { ok: true; request: ProbeRequest } | { ok: false; error: ProtocolError };

const EXPECTED = `send one of ${PROBES.join(', ')}, or JSON such as {"probe":"readiness","timeoutMs":800}`;

/**
 * Parses one request line (without its newline). Never throws: anything it cannot use comes
 * back as a protocol error to send to the client.
 */
export function parseRequest(line: string): ParsedRequest {
  const text = line.trim();
  if (text === '') return invalid('ERR_INVALID_REQUEST', `empty request; ${EXPECTED}`);
  if (text.startsWith('{')) return parseJsonRequest(text);
  if (text === COMPAT_REQUEST) return { ok: true, request: { probe: 'liveness', format: 'byte' } };
  if (isProbeName(text)) return { ok: true, request: { probe: text, format: 'json' } };
  return invalid('ERR_UNKNOWN_PROBE', `unknown probe ${quote(text)}; ${EXPECTED}`);
}

function parseJsonRequest(text: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('ERR_INVALID_REQUEST', `request is not valid JSON; ${EXPECTED}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('ERR_INVALID_REQUEST', `request must be a JSON object; ${EXPECTED}`);
  }
  const { v, probe, timeoutMs } = value as Record<string, unknown>;
  if (v !== undefined && v !== PROTOCOL_VERSION) {
    return invalid(
      'ERR_UNSUPPORTED_VERSION',
      `protocol version ${quote(v)} is not supported; this server speaks v${PROTOCOL_VERSION}`,
    );
  }
  if (!isProbeName(probe)) {
    return invalid('ERR_UNKNOWN_PROBE', `unknown probe ${quote(probe)}; ${EXPECTED}`);
  }
  if (timeoutMs === undefined) return { ok: true, request: { probe, format: 'json' } };
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_DEADLINE_MS) {
    return invalid(
      'ERR_INVALID_REQUEST',
      `timeoutMs is ${quote(timeoutMs)}; it must be a number of milliseconds above 0 and at most ${MAX_DEADLINE_MS}`,
    );
  }
  return { ok: true, request: { probe, timeoutMs, format: 'json' } };
}

function invalid(code: ProtocolError['code'], message: string): ParsedRequest {
  return { ok: false, error: { code, message } };
}

/** Quotes a client-supplied value for an error message, short enough to keep the reply small. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return cutText(text, 60);
}
