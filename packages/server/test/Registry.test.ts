import { describe, expect, it, vi } from 'vitest';
import { HealthsockError } from '../src/model/HealthsockError.js';
import { encodeProbeReply, parseReply } from '../src/wire/reply.js';
import { Registry } from '../src/registry/Registry.js';
import { sleep } from '../../../test/helpers/time.js';

const never = () => new Promise<never>(() => {});

describe('Registry membership', () => {
  it('puts a check without probes into startup and readiness, not liveness', async () => {
    const registry = new Registry();
    const check = vi.fn();
    registry.add('db', check);
    expect((await registry.evaluate('readiness')).checks.map((c) => c.name)).toEqual(['db']);
    expect((await registry.evaluate('startup')).checks.map((c) => c.name)).toEqual(['db']);
    expect((await registry.evaluate('liveness')).checks).toEqual([]);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('runs only the checks registered for liveness, and passes liveness when there are none', async () => {
    const registry = new Registry();
    expect((await registry.evaluate('liveness')).status).toBe('healthy');
    registry.add('db', () => {
      throw new Error('down');
    });
    registry.add('loop', () => undefined, { probes: ['liveness'] });
    const liveness = await registry.evaluate('liveness');
    expect(liveness.status).toBe('healthy');
    expect(liveness.checks.map((c) => c.name)).toEqual(['loop']);
  });

  it('passes the probe name to the check', async () => {
    const registry = new Registry();
    const check = vi.fn();
    registry.add('all', check, { probes: ['liveness', 'readiness'] });
    await registry.evaluate('readiness');
    expect(check.mock.calls[0]?.[0].probe).toBe('readiness');
  });
});

describe('Registry results', () => {
  it('counts any return value, including a query result, as healthy', async () => {
    const registry = new Registry();
    registry.add('query', async () => ({ rows: [{ '?column?': 1 }], rowCount: 1 }));
    registry.add('string', () => 'ok');
    registry.add('bad status', () => ({ status: 'fine' }));
    registry.add('null', () => null);
    const report = await registry.evaluate('readiness');
    expect(report.status).toBe('healthy');
    expect(report.checks.every((c) => c.status === 'healthy' && c.message === undefined)).toBe(true);
  });

  it('uses an explicit result, with its message and serialisable data', async () => {
    const registry = new Registry();
    registry.add('cache', () => ({ status: 'degraded', message: 'hit rate 12%', data: { hitRate: 0.12 } }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    registry.add('cyclic', () => ({ status: 'healthy', data: cyclic }));
    const report = await registry.evaluate('readiness');
    expect(report.status).toBe('degraded');
    expect(report.checks[0]).toMatchObject({
      name: 'cache',
      status: 'degraded',
      message: 'hit rate 12%',
      data: { hitRate: 0.12 },
    });
    expect(report.checks[1]).not.toHaveProperty('data');
  });

  it('reports a throw or a rejection as unhealthy with its message and no stack', async () => {
    const registry = new Registry();
    registry.add('sync', () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    registry.add('async', () => Promise.reject(new TypeError('bad')));
    const report = await registry.evaluate('readiness');
    expect(report.status).toBe('unhealthy');
    expect(report.checks.map((c) => c.message)).toEqual(['connect ECONNREFUSED 127.0.0.1:5432', 'bad']);
    expect(JSON.stringify(report)).not.toContain('at ');
  });

  it('describes thrown non-errors', async () => {
    const registry = new Registry();
    registry.add('string', () => Promise.reject('plain string'));
    registry.add('undefined', () => Promise.reject(undefined));
    registry.add('object', () => Promise.reject({ reason: 'x' }));
    registry.add('message', () => Promise.reject({ message: 'has a message' }));
    const messages = (await registry.evaluate('readiness')).checks.map((c) => c.message);
    expect(messages).toEqual(['plain string', 'threw undefined', 'threw {"reason":"x"}', 'has a message']);
  });

  it('keeps every other check, and a reply the CLI accepts, whatever a misbehaving check throws or returns', async () => {
    const registry = new Registry();
    const numericMessage = Object.assign(new Error(), { message: 42 });
    const throwingMessage = {
      get message(): string {
        throw new Error('no message for you');
      },
    };
    const throwingStatus = {
      get status(): string {
        throw new Error('no status for you');
      },
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    registry.add('numeric-message', () => Promise.reject(numericMessage));
    registry.add('throwing-message', () => Promise.reject(throwingMessage));
    registry.add('throwing-status', () => throwingStatus);
    registry.add('revoked-proxy', () => Promise.reject(revoked.proxy));
    registry.add('symbol', () => Promise.reject(Symbol('gone')));
    registry.add('bigint', () => Promise.reject(10n));
    registry.add('null-prototype', () => Promise.reject(Object.create(null)));
    registry.add('cyclic-data', () => ({ status: 'degraded', message: 'cyclic', data: cyclic }));
    registry.add('bigint-data', () => ({ status: 'degraded', message: 7, data: { n: 1n } }));
    registry.add('fine', () => undefined);
    const report = await registry.evaluate('readiness');
    const parsed = parseReply(encodeProbeReply(report));
    expect(parsed.ok).toBe(true);
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    expect(byName['fine']).toMatchObject({ status: 'healthy' });
    expect(byName['numeric-message']).toMatchObject({ status: 'unhealthy', message: '42' });
    expect(byName['throwing-message']).toMatchObject({ status: 'unhealthy', message: expect.stringMatching(/./) });
    expect(byName['throwing-status']).toMatchObject({
      status: 'unhealthy',
      message: 'returned a result that cannot be read: no status for you',
    });
    expect(byName['symbol']).toMatchObject({ status: 'unhealthy', message: 'threw Symbol(gone)' });
    expect(byName['bigint']).toMatchObject({ status: 'unhealthy', message: 'threw 10' });
    expect(byName['cyclic-data']).toEqual(expect.not.objectContaining({ data: expect.anything() }));
    expect(byName['bigint-data']).toMatchObject({ status: 'degraded', message: '7' });
    for (const check of report.checks) {
      if (check.status !== 'healthy') expect(check.message).toBeTypeOf('string');
    }
  });

  it('makes every message one line, and refuses check names that are not', async () => {
    const registry = new Registry({ redact: (message) => `${message}\r\nredacted` });
    registry.add('multi', () => Promise.reject(new Error('first line\nsecond line\u2028third\tand a tab')));
    registry.add('result', () => ({ status: 'degraded', message: 'slow\n\n  replica' }));
    const messages = (await registry.evaluate('readiness')).checks.map((check) => check.message);
    expect(messages).toEqual(['first line second line third and a tab redacted', 'slow replica redacted']);
    expect(() => registry.add('two\nlines', () => undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('truncates long messages to 200 characters', async () => {
    const registry = new Registry();
    registry.add('chatty', () => {
      throw new Error('x'.repeat(5000));
    });
    const [check] = (await registry.evaluate('readiness')).checks;
    expect(check?.message).toHaveLength(200);
  });

  it('aggregates unhealthy over degraded over healthy', async () => {
    const registry = new Registry();
    registry.add('a', () => ({ status: 'healthy' }));
    registry.add('b', () => ({ status: 'degraded' }), { probes: ['readiness', 'liveness'] });
    registry.add('c', () => ({ status: 'unhealthy' }), { probes: ['readiness'] });
    registry.add('d', () => ({ status: 'healthy' }), { probes: ['liveness'] });
    expect((await registry.evaluate('readiness')).status).toBe('unhealthy');
    expect((await registry.evaluate('liveness')).status).toBe('degraded');
    expect((await registry.evaluate('startup')).status).toBe('healthy');
  });
});

describe('Registry timeouts', () => {
  it('reports a check over its timeoutMs as unhealthy and aborts its signal', async () => {
    const registry = new Registry();
    let signal: AbortSignal | undefined;
    registry.add(
      'slow',
      (context) => {
        signal = context.signal;
        return never();
      },
      { timeoutMs: 30 },
    );
    const report = await registry.evaluate('readiness');
    expect(report.checks[0]).toMatchObject({ status: 'unhealthy', message: 'timed out after 30 ms' });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(HealthsockError);
  });

  it('bounds each check by the probe budget when it is shorter than the check timeout', async () => {
    const registry = new Registry();
    registry.add('slow', never, { timeoutMs: 60_000 });
    const started = Date.now();
    const report = await registry.evaluate('readiness', { budgetMs: 40 });
    expect(report.checks[0]?.message).toBe('timed out after 40 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends the wait at the budget for every slow check at once, keeping the fast ones and the order', async () => {
    const registry = new Registry();
    registry.add('slow a', never, { timeoutMs: 60_000 });
    registry.add('fast', () => ({ status: 'degraded', message: 'ok-ish' }), { timeoutMs: 60_000 });
    registry.add('short', never, { timeoutMs: 10 });
    registry.add('slow b', never, { timeoutMs: 60_000 });
    const report = await registry.evaluate('readiness', { budgetMs: 40 });
    expect(report.checks.map(({ name, status, message }) => [name, status, message])).toEqual([
      ['slow a', 'unhealthy', 'timed out after 40 ms'],
      ['fast', 'degraded', 'ok-ish'],
      ['short', 'unhealthy', 'timed out after 10 ms'],
      ['slow b', 'unhealthy', 'timed out after 40 ms'],
    ]);
    expect(report.status).toBe('unhealthy');
  });

  it('still times out a slow check beside one that throws before it returns', async () => {
    const registry = new Registry();
    // One timeoutMs for all three, so that they share one deadline.
    registry.add(
      'throws at once',
      () => {
        throw new Error('no connection');
      },
      { timeoutMs: 30 },
    );
    registry.add('hangs', never, { timeoutMs: 30 });
    registry.add(
      'throws at once too',
      () => {
        throw new Error('no queue');
      },
      { timeoutMs: 30 },
    );
    const report = await registry.evaluate('readiness');
    expect(report.checks.map(({ name, status, message }) => [name, status, message])).toEqual([
      ['throws at once', 'unhealthy', 'no connection'],
      ['hangs', 'unhealthy', 'timed out after 30 ms'],
      ['throws at once too', 'unhealthy', 'no queue'],
    ]);
    // The throwing checks ran again at once: their runs were over, not left in flight.
    const again = await registry.evaluate('readiness', { only: 'throws at once' });
    expect(again.checks[0]).toMatchObject({ status: 'unhealthy', message: 'no connection' });
  });

  it('gives the signal to a check that destructures its context or wraps it in a Proxy', async () => {
    const registry = new Registry();
    const signals: (AbortSignal | undefined)[] = [];
    registry.add(
      'destructures it',
      ({ signal }) => {
        signals.push(signal);
        return never();
      },
      { timeoutMs: 20 },
    );
    registry.add(
      'wraps it',
      (context) => {
        signals.push(new Proxy(context, {}).signal);
        return never();
      },
      { timeoutMs: 20 },
    );
    registry.add('probe only', ({ probe }) => ({ status: 'healthy', message: probe }));
    const report = await registry.evaluate('readiness');
    expect(report.checks[2]).toMatchObject({ status: 'healthy', message: 'readiness' });
    expect(signals.map((signal) => signal?.aborted)).toEqual([true, true]);
  });

  it('times a hung check out from its start, however long the checks after it take to start', async () => {
    const registry = new Registry();
    registry.add('hangs', never, { timeoutMs: 1000 });
    registry.add(
      'blocks',
      () => {
        const until = Date.now() + 1500;
        while (Date.now() < until);
      },
      { timeoutMs: 1000 },
    );
    const started = Date.now();
    const report = await registry.evaluate('readiness');
    expect(report.checks[0]).toMatchObject({ name: 'hangs', status: 'unhealthy', message: 'timed out after 1000 ms' });
    // Due at 1000 ms, the timeout comes as soon as the 1500 ms of blocking end, not 1000 ms after
    // them (2500 ms); the bound leaves a busy machine 700 ms.
    expect(Date.now() - started).toBeLessThan(2200);
  });

  it('does not start a second run of a check whose timed-out run has not settled', async () => {
    const registry = new Registry();
    const check = vi.fn(never);
    registry.add('stuck', check, { timeoutMs: 20 });
    await registry.evaluate('readiness');
    const second = await registry.evaluate('readiness');
    expect(check).toHaveBeenCalledTimes(1);
    expect(second.checks[0]?.status).toBe('unhealthy');
    expect(second.checks[0]?.message).toMatch(/^still running after it timed out/);
  });

  it('runs a check again once its timed-out run settles', async () => {
    const registry = new Registry();
    let release: () => void = () => {};
    // The first run hangs past its deadline; any later run passes at once.
    let runs = 0;
    const check = vi.fn(() => (++runs === 1 ? new Promise<void>((resolve) => (release = resolve)) : undefined));
    registry.add('late', check, { timeoutMs: 20 });
    const first = await registry.evaluate('readiness');
    expect(first.checks[0]?.status).toBe('unhealthy');
    release();
    await new Promise((resolve) => setImmediate(resolve));
    const second = await registry.evaluate('startup');
    expect(check).toHaveBeenCalledTimes(2);
    expect(second.status).toBe('healthy');
    expect(second.checks[0]).toMatchObject({ name: 'late', status: 'healthy' });
  });
});

describe('Registry coalescing', () => {
  it('shares one in-flight run between concurrent probes of the same kind', async () => {
    const registry = new Registry();
    let calls = 0;
    registry.add('db', async () => {
      calls++;
      await sleep(20);
    });
    const reports = await Promise.all([
      registry.evaluate('readiness'),
      registry.evaluate('readiness'),
      registry.evaluate('readiness'),
    ]);
    expect(calls).toBe(1);
    for (const report of reports)
      expect(report).toMatchObject({ status: 'healthy', checks: [{ name: 'db', status: 'healthy' }] });
    await registry.evaluate('readiness');
    expect(calls).toBe(2);
  });

  it('gives each probe that shares a run its own report objects', async () => {
    const registry = new Registry();
    registry.add('db', async () => {
      await sleep(10);
      return { status: 'degraded', message: 'slow replica' };
    });
    const [first, second, third] = await Promise.all([
      registry.evaluate('readiness'),
      registry.evaluate('readiness'),
      registry.evaluate('readiness'),
    ]);
    expect(first?.checks[0]).not.toBe(second?.checks[0]);
    expect(second?.checks[0]).not.toBe(third?.checks[0]);
    (first?.checks[0] as { message?: string }).message = 'changed by a listener';
    expect(second?.checks[0]).toMatchObject({ name: 'db', status: 'degraded', message: 'slow replica' });
    expect(third?.checks[0]).toMatchObject({ name: 'db', status: 'degraded', message: 'slow replica' });
  });

  it('bounds a probe that joins a run in flight by its own budget', async () => {
    const registry = new Registry();
    const check = vi.fn(never);
    registry.add('slow', check, { timeoutMs: 500 });
    const first = registry.evaluate('readiness');
    const started = Date.now();
    const joined = await registry.evaluate('readiness', { budgetMs: 50 });
    expect(joined.checks[0]).toMatchObject({ status: 'unhealthy', message: 'timed out after 50 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(check).toHaveBeenCalledTimes(1);
    expect((await first).checks[0]?.message).toBe('timed out after 500 ms');
  });

  it("lets a probe that joins a run wait within its own deadline, not the first caller's", async () => {
    const registry = new Registry();
    let release: () => void = () => {};
    let signal: AbortSignal | undefined;
    const check = vi.fn((context: { signal: AbortSignal }) => {
      signal = context.signal;
      return new Promise<void>((resolve) => (release = resolve));
    });
    registry.add('slow', check, { timeoutMs: 60_000 });
    // A person's `healthsock -t 100ms` starts the run; kubelet's probe joins it with a long deadline.
    const hurried = registry.evaluate('readiness', { budgetMs: 30 });
    const patient = registry.evaluate('readiness', { budgetMs: 60_000 });
    expect((await hurried).checks[0]).toMatchObject({ status: 'unhealthy', message: 'timed out after 30 ms' });
    // The hurried caller gave up; the run goes on, within the check's own timeoutMs.
    expect(signal?.aborted).toBe(false);
    const next = registry.evaluate('readiness', { budgetMs: 60_000 });
    release();
    expect((await patient).checks[0]).toMatchObject({ status: 'healthy' });
    expect((await next).checks[0]).toMatchObject({ status: 'healthy' });
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('runs a check shared by two probes once when they overlap', async () => {
    const registry = new Registry();
    const check = vi.fn(() => sleep(20));
    registry.add('db', check);
    registry.add('other', () => undefined, { probes: ['startup'] });
    await Promise.all([registry.evaluate('readiness'), registry.evaluate('startup')]);
    expect(check).toHaveBeenCalledTimes(1);
  });
});

describe('Registry startup latch', () => {
  it('stops running startup checks once startup has passed', async () => {
    const registry = new Registry();
    let healthy = false;
    const check = vi.fn(() => {
      if (!healthy) throw new Error('not yet');
    });
    registry.add('migrations', check, { probes: ['startup'] });
    expect((await registry.evaluate('startup')).status).toBe('unhealthy');
    healthy = true;
    expect((await registry.evaluate('startup')).status).toBe('healthy');
    healthy = false;
    const latched = await registry.evaluate('startup');
    expect(latched).toMatchObject({ status: 'healthy', checks: [], message: 'startup passed earlier' });
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('latches on degraded too, since degraded passes', async () => {
    const registry = new Registry();
    const check = vi.fn(() => ({ status: 'degraded' }));
    registry.add('warm', check, { probes: ['startup'] });
    await registry.evaluate('startup');
    await registry.evaluate('startup');
    expect(check).toHaveBeenCalledTimes(1);
  });
});

describe('Registry.evaluate validation', () => {
  it.each([
    ['an unknown probe', () => new Registry().evaluate('readyness' as never)],
    ['a NaN budget', () => new Registry().evaluate('liveness', { budgetMs: Number.NaN })],
    ['a negative budget', () => new Registry().evaluate('liveness', { budgetMs: -1 })],
  ])('rejects %s', async (_, evaluate) => {
    await expect(evaluate()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('Registry.add validation', () => {
  it.each([
    ['an empty name', () => new Registry().add('', () => {}), 'ERR_INVALID_OPTION'],
    ['a name over 100 characters', () => new Registry().add('n'.repeat(101), () => {}), 'ERR_INVALID_OPTION'],
    ['a non-function', () => new Registry().add('x', 42 as never), 'ERR_INVALID_OPTION'],
    ['an empty probe list', () => new Registry().add('x', () => {}, { probes: [] }), 'ERR_INVALID_OPTION'],
    ['an unknown probe', () => new Registry().add('x', () => {}, { probes: ['ready' as never] }), 'ERR_INVALID_OPTION'],
    ['a zero timeout', () => new Registry().add('x', () => {}, { timeoutMs: 0 }), 'ERR_INVALID_OPTION'],
    ['an infinite timeout', () => new Registry().add('x', () => {}, { timeoutMs: Infinity }), 'ERR_INVALID_OPTION'],
  ])('rejects %s', (_, add, code) => {
    expect(add).toThrow(expect.objectContaining({ code }));
  });

  it('rejects a duplicate name, naming it', () => {
    const registry = new Registry();
    registry.add('db', () => {});
    expect(() => registry.add('db', () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_DUPLICATE_CHECK', message: expect.stringContaining('"db"') }),
    );
  });
});

describe('Registry redaction', () => {
  it('passes every message through the redact hook, then cuts it to 200 characters', async () => {
    const registry = new Registry({
      redact: (message, { check }) =>
        `${check}: ${message.replace(/\/\/[^@]*@/, '//***@')}`.repeat(check === 'long' ? 50 : 1),
    });
    registry.add('pg', () => {
      throw new Error('connect to postgres://app:hunter2@db:5432 failed');
    });
    registry.add('cache', () => ({ status: 'degraded', message: 'redis://u:secret@cache slow' }));
    registry.add('long', () => Promise.reject('x'));
    const [pg, cache, long] = (await registry.evaluate('readiness')).checks;
    expect(pg?.message).toBe('pg: connect to postgres://***@db:5432 failed');
    expect(cache?.message).toBe('cache: redis://***@cache slow');
    expect(long?.message).toHaveLength(200);
  });

  it('hides the message when the hook throws', async () => {
    const registry = new Registry({
      redact: () => {
        throw new Error('hook bug');
      },
    });
    registry.add('pg', () => {
      throw new Error('password=hunter2');
    });
    expect((await registry.evaluate('readiness')).checks[0]?.message).toBe('[redacted]');
  });
});

describe('Registry shutdown', () => {
  it('fails readiness at once without running checks, and keeps liveness', async () => {
    const registry = new Registry();
    const readiness = vi.fn();
    const liveness = vi.fn();
    registry.add('db', readiness);
    registry.add('loop', liveness, { probes: ['liveness'] });
    registry.beginShutdown();
    expect(await registry.evaluate('readiness')).toEqual({
      probe: 'readiness',
      status: 'unhealthy',
      durationMs: 0,
      message: 'shutting down',
      checks: [],
    });
    expect((await registry.evaluate('liveness')).status).toBe('healthy');
    expect(readiness).not.toHaveBeenCalled();
    expect(liveness).toHaveBeenCalledTimes(1);
  });
});

describe('Registry reports', () => {
  it('hands on every evaluation and tells a part of a probe (exclude, only) from the whole', async () => {
    const seen: string[] = [];
    const registry = new Registry({
      onReport: (report, whole) =>
        seen.push(`${report.probe} ${report.status} ${whole ? 'whole' : 'part'} ${report.checks.length}`),
    });
    registry.add('db', () => {
      throw new Error('down');
    });
    registry.add('cache', () => ({ status: 'degraded' }));
    await registry.evaluate('readiness');
    await registry.evaluate('readiness', { only: 'cache' });
    await registry.evaluate('readiness', { exclude: ['db'] });
    await registry.evaluate('readiness');
    expect(seen).toEqual([
      'readiness unhealthy whole 2',
      'readiness degraded part 1',
      'readiness degraded part 1',
      'readiness unhealthy whole 2',
    ]);
  });
});
