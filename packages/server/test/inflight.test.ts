import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inflight } from '../src/checks/inflight.js';
import { sleep } from '../../../test/helpers/time.js';

// The built module, so that the child runs exactly what the package ships.
const SOURCE = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const context = { signal: new AbortController().signal, probe: 'liveness' as const };

describe('checks.inflight', () => {
  it('is healthy while idle, for any length of time', async () => {
    const check = inflight({ maxAgeMs: 20 });
    expect(check(context)).toEqual({ status: 'healthy', data: { inFlight: 0, maxAgeMs: 20 } });
    await sleep(100);
    expect(check(context)).toMatchObject({ status: 'healthy' });
  });

  it('fails once a job has been in flight past maxAgeMs, naming it and its age, and passes once it is done', async () => {
    const check = inflight({ maxAgeMs: 40 });
    const done = check.begin('1234 (orders)');
    expect(check(context)).toMatchObject({ status: 'healthy', data: { inFlight: 1, oldest: '1234 (orders)' } });
    await sleep(100);
    expect(check(context)).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^job 1234 \(orders\) in flight for \d+ ms \(max 40 ms\)$/),
      data: { inFlight: 1, oldest: '1234 (orders)', maxAgeMs: 40 },
    });
    done();
    expect(check(context)).toMatchObject({ status: 'healthy', data: { inFlight: 0 } });
  });

  it('judges the oldest job: later ones within the limit do not hide it, and finished ones do not count', async () => {
    const check = inflight({ maxAgeMs: 50 });
    const first = check.begin();
    const second = check.begin();
    await sleep(100);
    const third = check.begin('fresh');
    expect(check(context)).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^job #1 in flight for \d+ ms, job #2 in flight for \d+ ms \(max 50 ms\)$/),
      data: { inFlight: 3, oldest: '#1' },
    });
    first();
    second();
    expect(check(context)).toMatchObject({ status: 'healthy', data: { inFlight: 1, oldest: 'fresh' } });
    third();
  });

  it('names three late jobs and counts the rest', async () => {
    const check = inflight({ maxAgeMs: 10 });
    for (let i = 0; i < 5; i++) check.begin(`m${i}`);
    await sleep(40);
    expect(check(context)).toMatchObject({
      message: expect.stringMatching(
        /^job m0 in flight .*, job m1 .*, job m2 in flight for \d+ ms, and 2 more \(max 10 ms\)$/,
      ),
    });
  });

  it('ignores a second done(), so the count never goes wrong', () => {
    const check = inflight({ maxAgeMs: 1000 });
    const a = check.begin();
    const b = check.begin();
    a();
    a();
    a();
    expect(check.size).toBe(1);
    b();
    expect(check.size).toBe(0);
    b();
    expect(check.size).toBe(0);
    check.begin();
    expect(check.size).toBe(1);
  });

  it('keeps a job whose done() is never called in flight, so it fails liveness after maxAgeMs', async () => {
    const check = inflight({ maxAgeMs: 30 });
    // An exception path that forgot its finally: the job is, as far as anyone knows, still running.
    check.begin('leaked');
    for (let i = 0; i < 100; i++) check.begin()();
    await sleep(60);
    expect(check(context)).toMatchObject({ status: 'unhealthy', message: expect.stringMatching(/^job leaked /) });
    expect(check.size).toBe(1);
  });

  it('idle() resolves true once the last job is done, and at once when idle', async () => {
    const check = inflight({ maxAgeMs: 1000 });
    await expect(check.idle()).resolves.toBe(true);
    const a = check.begin();
    const b = check.begin();
    const order: string[] = [];
    const idle = check.idle().then((value) => order.push(`idle ${value}`));
    const bounded = check.idle(10_000).then((value) => order.push(`bounded ${value}`));
    a();
    await sleep(10);
    order.push('a done');
    b();
    await Promise.all([idle, bounded]);
    expect(order).toEqual(['a done', 'idle true', 'bounded true']);
  });

  it('idle(timeoutMs) resolves false when the work outlasts it', async () => {
    const check = inflight({ maxAgeMs: 1000 });
    const done = check.begin();
    await expect(check.idle(50)).resolves.toBe(false);
    done();
    await expect(check.idle(50)).resolves.toBe(true);
  });

  it('idle() never keeps the process alive: a worker with nothing else to do exits while it waits', () => {
    const script = [
      `import { checks } from ${JSON.stringify(SOURCE)};`,
      'const check = checks.inflight({ maxAgeMs: 1000 });',
      "check.begin('leaked');",
      "check.idle(60_000).then((idle) => console.log('resolved', idle));",
      "console.log('waiting');",
    ].join('\n');
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout).toBe('waiting\n');
    expect(child.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('rejects bad options and unknown keys, naming them', () => {
    expect(() => inflight({ maxAgeMs: 0 })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/inflight: maxAgeMs is 0/),
      }),
    );
    expect(() => inflight({ maxAgeMs: '60s' as unknown as number })).toThrow(/maxAgeMs is "60s"/);
    expect(() => inflight({ maxAgeMs: 1000, maxAgeMS: 5 } as unknown as { maxAgeMs: number })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/unknown option "maxAgeMS"/),
      }),
    );
    expect(() => inflight(undefined as unknown as { maxAgeMs: number })).toThrow(/maxAgeMs is undefined/);
    expect(() => inflight(5 as unknown as { maxAgeMs: number })).toThrow(/options must be an object, got 5/);
    expect(() => inflight({ maxAgeMs: 10 }).idle(-1)).toThrow(/idle timeoutMs is -1/);
  });
});
