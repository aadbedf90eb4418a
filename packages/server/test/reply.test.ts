import { describe, expect, it } from 'vitest';
import {
  encodeCompatReply,
  encodeErrorReply,
  encodeProbeReply,
  MAX_REPLY_BYTES,
  parseReply,
} from '../src/wire/reply.js';
import type { ProbeReport } from '../src/model/reports.js';

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
    expect(parseReply(line)).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('encodeProbeReply size', () => {
  const failing = (i: number) => ({
    name: `dependency-${i}`,
    status: 'unhealthy' as const,
    durationMs: 1,
    message: `m${i} ${'x'.repeat(195)}`,
    data: { blob: 'y'.repeat(500) },
  });

  it('leaves a reply within the limit untouched', () => {
    expect(JSON.parse(encodeProbeReply(report))).toEqual({ v: 1, ...report });
  });

  it('keeps every reply under MAX_REPLY_BYTES, failing checks first, and says what it left out', () => {
    const many: ProbeReport = {
      probe: 'readiness',
      status: 'unhealthy',
      durationMs: 5,
      checks: [
        ...Array.from({ length: 30 }, (_, i) => ({ name: `ok-${i}`, status: 'healthy' as const, durationMs: 1 })),
        ...Array.from({ length: 40 }, (_, i) => failing(i)),
      ],
    };
    const line = encodeProbeReply(many);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    const reply = JSON.parse(line);
    expect(reply.status).toBe('unhealthy');
    expect(reply.checks.length).toBeGreaterThan(5);
    expect(
      reply.checks.every(
        (check: { status: string; data?: unknown }) => check.status === 'unhealthy' && check.data === undefined,
      ),
    ).toBe(true);
    expect(reply.checks[0].name).toBe('dependency-0');
    expect(reply.message).toBe(`${70 - reply.checks.length} of 70 checks left out to keep the reply small`);
  });

  it('drops data before anything else', () => {
    const reply = JSON.parse(
      encodeProbeReply({ ...report, checks: [failing(1), failing(2), failing(3), failing(4), failing(5)] }),
    );
    expect(reply.checks).toHaveLength(5);
    expect(reply.checks[0]).not.toHaveProperty('data');
    expect(reply.checks[0].message).toHaveLength(198);
    expect(reply).not.toHaveProperty('message');
  });
});
