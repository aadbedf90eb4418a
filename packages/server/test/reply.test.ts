import { describe, expect, it } from 'vitest';
import { encodeCompatReply, encodeErrorReply, encodeProbeReply, parseReply } from '../src/protocol/reply.js';
import type { ProbeReport } from '../src/protocol/reply.js';

const report: ProbeReport = {
  probe: 'readiness',
  status: 'unhealthy',
  durationMs: 12.3,
  checks: [{ name: 'postgres', status: 'unhealthy', durationMs: 12.1, message: 'connect ECONNREFUSED' }],
};

describe('reply encoding', () => {
  it('encodes a probe reply as one JSON line carrying v1', () => {
    const line = encodeProbeReply(report);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({ v: 1, ...report });
  });

  it('encodes an error reply', () => {
    expect(JSON.parse(encodeErrorReply({ code: 'ERR_UNKNOWN_PROBE', message: 'unknown probe "x"' }))).toEqual({
      v: 1,
      error: { code: 'ERR_UNKNOWN_PROBE', message: 'unknown probe "x"' },
    });
  });

  it('encodes the compatibility reply as one byte, 0 when the probe passes', () => {
    expect(encodeCompatReply(report)).toBe('1');
    expect(encodeCompatReply({ ...report, status: 'degraded' })).toBe('0');
    expect(encodeCompatReply({ ...report, status: 'healthy' })).toBe('0');
  });
});

describe('parseReply', () => {
  it('round-trips what the server encodes', () => {
    expect(parseReply(encodeProbeReply(report).trim())).toEqual({ ok: true, reply: { v: 1, ...report } });
    const error = encodeErrorReply({ code: 'ERR_REQUEST_TIMEOUT', message: 'late' }).trim();
    expect(parseReply(error)).toEqual({
      ok: true,
      reply: { v: 1, error: { code: 'ERR_REQUEST_TIMEOUT', message: 'late' } },
    });
  });

  it.each([
    ['0', 'not a JSON object'],
    ['HTTP/1.1 400 Bad Request', 'not JSON'],
    ['{"v":2,"probe":"liveness"}', 'protocol version'],
    ['{"v":1,"probe":"liveness","status":"ok","durationMs":1,"checks":[]}', 'no valid status'],
    ['{"v":1,"probe":"liveness","status":"healthy","checks":[]}', 'no durationMs'],
    ['{"v":1,"probe":"liveness","status":"healthy","durationMs":1}', 'checks'],
    ['{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"checks":[{"name":1}]}', 'checks'],
    ['{"v":1,"error":"nope"}', 'error reply'],
  ])('refuses %j', (line, reason) => {
    const parsed = parseReply(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});
