import { describe, expect, it } from 'vitest';
import { parseRequest } from '../src/wire/parseRequest.js';

describe('parseRequest', () => {
  it.each(['liveness', 'readiness', 'startup'] as const)(
    'accepts the bare probe name %s, as typed into socat',
    (probe) => {
      expect(parseRequest(probe)).toEqual({ ok: true, request: { probe, format: 'json' } });
      expect(parseRequest(`  ${probe}\r`)).toEqual({ ok: true, request: { probe, format: 'json' } });
    },
  );

  it('accepts a JSON request with the remaining deadline', () => {
    expect(parseRequest('{"probe":"readiness","timeoutMs":800}')).toEqual({
      ok: true,
      request: { probe: 'readiness', timeoutMs: 800, format: 'json' },
    });
    expect(parseRequest('{"v":1,"probe":"startup","extra":"ignored"}')).toEqual({
      ok: true,
      request: { probe: 'startup', format: 'json' },
    });
  });

  it('maps the hc compatibility request to liveness with a one-byte reply', () => {
    expect(parseRequest('hc')).toEqual({ ok: true, request: { probe: 'liveness', format: 'byte' } });
  });

  it.each([
    ['', 'ERR_INVALID_REQUEST'],
    ['   ', 'ERR_INVALID_REQUEST'],
    ['ready', 'ERR_UNKNOWN_PROBE'],
    ['LIVENESS', 'ERR_UNKNOWN_PROBE'],
    ['liveness readiness', 'ERR_UNKNOWN_PROBE'],
    ['{"probe":', 'ERR_INVALID_REQUEST'],
    ['{"probe":"liveness"} trailing', 'ERR_INVALID_REQUEST'],
    ['["liveness"]', 'ERR_UNKNOWN_PROBE'],
    ['{}', 'ERR_UNKNOWN_PROBE'],
    ['{"probe":"nope"}', 'ERR_UNKNOWN_PROBE'],
    ['{"probe":42}', 'ERR_UNKNOWN_PROBE'],
    ['{"probe":"liveness","timeoutMs":"800"}', 'ERR_INVALID_REQUEST'],
    ['{"probe":"liveness","timeoutMs":0}', 'ERR_INVALID_REQUEST'],
    ['{"probe":"liveness","timeoutMs":-5}', 'ERR_INVALID_REQUEST'],
    ['{"probe":"liveness","timeoutMs":1e309}', 'ERR_INVALID_REQUEST'],
    ['{"probe":"liveness","timeoutMs":99999999}', 'ERR_INVALID_REQUEST'],
    ['{"v":2,"probe":"liveness"}', 'ERR_UNSUPPORTED_VERSION'],
    ['{"__proto__":{"probe":"liveness"}}', 'ERR_UNKNOWN_PROBE'],
    ['\u0000\u0001\u00ff\ufffd', 'ERR_UNKNOWN_PROBE'],
  ])('refuses %j with %s', (line, code) => {
    const parsed = parseRequest(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe(code);
      expect(parsed.error.message.length).toBeLessThan(300);
    }
  });

  it('names the unknown value, shortened, in the error', () => {
    const parsed = parseRequest(`x${'y'.repeat(1000)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.message).toMatch(/^unknown probe "xyyy/);
      expect(parsed.error.message.length).toBeLessThan(200);
    }
  });

  it('never throws on random input', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: i % 64 }, () => Math.floor(Math.random() * 256)));
      const parsed = parseRequest(bytes.toString('utf8'));
      expect(typeof parsed.ok).toBe('boolean');
    }
  });
});
