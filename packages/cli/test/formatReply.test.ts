import type { ProbeReply } from '@healthsock/server/protocol';
import { describe, expect, it } from 'vitest';
import { formatReply, MAX_FIRST_LINE_BYTES } from '../src/format/formatReply.js';

const base: ProbeReply = { v: 1, probe: 'readiness', status: 'healthy', durationMs: 2.14, checks: [] };

describe('formatReply', () => {
  it('prints one line on success and one line per check, whatever line breaks a server puts in messages', () => {
    const reply: ProbeReply = {
      ...base,
      status: 'degraded',
      message: 'draining\nsoon',
      checks: [
        { name: 'cache\r\nx', status: 'degraded', durationMs: 12.4, message: 'slow\n\n  replica\u2028lag\u001b[31m' },
      ],
    };
    const quiet = formatReply(reply, '/tmp/h.sock', false, 4000);
    expect(quiet.lines).toEqual([
      'degraded: readiness passed at /tmp/h.sock: cache x: slow replica lag [31m (12 ms); draining soon',
    ]);
    const verbose = formatReply(reply, '/tmp/h.sock', true, 4000);
    expect(verbose.lines).toHaveLength(2);
    for (const line of verbose.lines) expect(line).not.toMatch(/[\p{Cc}\u2028]/u);
  });

  it.each<[string, ProbeReply, string]>([
    [
      'says a healthy probe passed, with the socket, the count and the time',
      { ...base, checks: [{ name: 'db', status: 'healthy', durationMs: 1.9 }] },
      'healthy: readiness passed at /tmp/h.sock (1 check, 2.1 ms)',
    ],
    [
      'reports degraded checks but passes',
      {
        ...base,
        status: 'degraded',
        checks: [
          { name: 'db', status: 'healthy', durationMs: 1 },
          { name: 'cache', status: 'degraded', durationMs: 12.4, message: 'slow' },
        ],
      },
      'degraded: readiness passed at /tmp/h.sock: cache: slow (12 ms)',
    ],
  ])('%s', (_, reply, line) => {
    expect(formatReply(reply, '/tmp/h.sock', false, 4000)).toEqual({ passed: true, lines: [line] });
  });

  it('names every failing check, its message and its time on the first line', () => {
    const reply: ProbeReply = {
      ...base,
      status: 'unhealthy',
      durationMs: 1002,
      checks: [
        { name: 'postgres', status: 'unhealthy', durationMs: 1002.2, message: 'connect ECONNREFUSED' },
        { name: 'cache', status: 'degraded', durationMs: 3 },
        { name: 'queue', status: 'unhealthy', durationMs: 5 },
      ],
    };
    const { passed, lines } = formatReply(reply, '/tmp/healthsock.sock', true, 4000);
    expect(passed).toBe(false);
    expect(lines[0]).toBe(
      'unhealthy: readiness failed at /tmp/healthsock.sock: postgres: connect ECONNREFUSED (1002 ms); queue: unhealthy (5.0 ms)',
    );
    expect(lines.slice(1)).toEqual([
      '  postgres: unhealthy in 1002 ms: connect ECONNREFUSED',
      '  cache: degraded in 3.0 ms',
      '  queue: unhealthy in 5.0 ms',
    ]);
  });

  it('uses the probe message when no check explains the status', () => {
    const reply: ProbeReply = { ...base, status: 'unhealthy', message: 'shutting down' };
    expect(formatReply(reply, '@w', false, 4000).lines).toEqual(['unhealthy: readiness failed at @w: shutting down']);
  });
});

describe('formatReply size', () => {
  const many: ProbeReply = {
    ...base,
    status: 'unhealthy',
    checks: Array.from({ length: 60 }, (_, i) => ({
      name: `dependency-${i}`,
      status: 'unhealthy' as const,
      durationMs: 1,
      message: 'x'.repeat(150),
    })),
  };

  it('cuts the first line to 1000 bytes', () => {
    const [first = ''] = formatReply(many, '/tmp/h.sock', false, 4000).lines;
    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(MAX_FIRST_LINE_BYTES);
    expect(Buffer.byteLength(first)).toBeGreaterThan(MAX_FIRST_LINE_BYTES - 10);
    expect(first.endsWith('…')).toBe(true);
    expect(first).toMatch(/^unhealthy: readiness failed at \/tmp\/h\.sock: dependency-0: x+/);
  });

  it('counts bytes, not characters, and never splits a character', () => {
    const wide: ProbeReply = {
      ...many,
      checks: many.checks.map((check) => ({ ...check, message: '接続が拒否されました🚫'.repeat(10) })),
    };
    const { lines } = formatReply(wide, '/tmp/h.sock', true, 4000);
    expect(Buffer.byteLength(`${lines.join('\n')}\n`)).toBeLessThanOrEqual(4000);
    expect(Buffer.byteLength(lines[0] ?? '')).toBeLessThanOrEqual(MAX_FIRST_LINE_BYTES);
    expect(lines.join('')).not.toContain('\ufffd');
    expect(Buffer.from(lines.join(''), 'utf8').toString('utf8')).toBe(lines.join(''));
  });

  it('keeps verbose output within the byte budget and says how many checks it left out', () => {
    const { lines } = formatReply(many, '/tmp/h.sock', true, 4000);
    expect(Buffer.byteLength(`${lines.join('\n')}\n`)).toBeLessThanOrEqual(4000);
    expect(lines.at(-1)).toMatch(/^ {2}\.\.\. \d+ more checks$/);
    const shown = lines.length - 2;
    expect(lines.at(-1)).toBe(`  ... ${60 - shown} more checks`);
  });
});
