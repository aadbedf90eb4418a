import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checks, createHealthServer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hs-options-'));
const socketPath = join(dir, 'h.sock');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invalid = (message: RegExp) =>
  expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) });

describe('a misspelt option key', () => {
  it.each([
    [
      'createHealthServer',
      () => createHealthServer({ socket: socketPath } as never),
      /createHealthServer\(\) has an unknown option "socket"; did you mean "socketPath"\?/,
    ],
    [
      'createHealthServer, a case slip',
      () => createHealthServer({ socketPath, maxconnections: 5 } as never),
      /did you mean "maxConnections"\?/,
    ],
    [
      'addCheck',
      () => createHealthServer({ socketPath }).addCheck('db', () => 'ok', { timeout: 50 } as never),
      /check "db" has an unknown option "timeout"; did you mean "timeoutMs"\?/,
    ],
    [
      'http',
      () => createHealthServer({ socketPath, http: { port: 0, detail: true } as never }),
      /http has an unknown option "detail"; did you mean "details"\?/,
    ],
    [
      'tcp',
      () => createHealthServer({ socketPath, tcp: [{ port: 0, interval: 500 }] as never }),
      /tcp\[0\] has an unknown option "interval"; did you mean "intervalMs"\?/,
    ],
    [
      'heartbeat',
      () => createHealthServer({ socketPath, heartbeat: { file: join(dir, 'hb') } as never }),
      /heartbeat has an unknown option "file"/,
    ],
    [
      'checks.http',
      () => checks.http({ url: 'http://127.0.0.1/', header: {} } as never),
      /checks.http has an unknown option "header"; did you mean "headers"\?/,
    ],
    [
      'checks.tcp',
      () => checks.tcp({ host: 'db', port: 5432, timeoutMs: 5 } as never),
      /checks.tcp has an unknown option "timeoutMs"/,
    ],
    [
      'checks.progress',
      () => checks.progress({ maxAge: 5000 } as never),
      /checks.progress has an unknown option "maxAge"; did you mean "maxAgeMs"\?/,
    ],
    ['checks.heap', () => checks.heap({ maxUsed: 0.5 } as never), /did you mean "maxUsedRatio"\?/],
    ['checks.eventLoopDelay', () => checks.eventLoopDelay({ p99: 100 } as never), /did you mean "p99DelayMs"\?/],
  ])('is refused in %s, with the nearest known key', (_, create, message) => {
    expect(create).toThrow(invalid(message));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a bad option value', () => {
  it.each([
    ['a string shown quoted', { maxConnections: '50' }, /maxConnections is "50"; it must be an integer/],
    ['NaN as NaN', { drainDelayMs: Number.NaN }, /drainDelayMs is NaN;/],
    [
      'a decimal socketMode, with the octal hint',
      { socketMode: 660 },
      /socketMode is 660, which is decimal; write it in octal, 0o660/,
    ],
    ['an http port given as a string', { http: { port: '8080' } }, /http.port is "8080"; it must be a port/],
  ])('is named as given: %s', (_, options, message) => {
    expect(() => createHealthServer({ socketPath, ...(options as object) })).toThrow(invalid(message));
  });

  it('names a check timeout given as a string as a string', () => {
    expect(() => createHealthServer({ socketPath }).addCheck('db', () => 'ok', { timeoutMs: '50' as never })).toThrow(
      invalid(/timeoutMs is "50";/),
    );
  });
});

describe('checks.http headers', () => {
  it('refuses a value with a line break, naming the header and never the value', () => {
    const create = () => checks.http({ url: 'http://127.0.0.1/', headers: { authorization: 'Bearer s3cret\n' } });
    expect(create).toThrow(invalid(/header "authorization" has a line break/));
    expect(create).not.toThrow(/s3cret/);
  });

  it('refuses a name that is not an HTTP token', () => {
    expect(() => checks.http({ url: 'http://127.0.0.1/', headers: { 'x api key': 'v' } })).toThrow(
      invalid(/header name "x api key" is not a valid HTTP header name/),
    );
  });
});
