import { GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { progress } from '../src/checks/progress.js';
import { sleep } from '../../../test/helpers/time.js';

const context = { signal: new AbortController().signal, probe: 'liveness' as const };

describe('checks.progress', () => {
  it('is healthy during the grace period before the first beat, then unhealthy', async () => {
    const check = progress({ maxAgeMs: 60_000, graceMs: 80 });
    expect(check(context)).toMatchObject({
      status: 'healthy',
      message: expect.stringMatching(/^waiting for the first beat/),
    });
    await sleep(150);
    expect(check(context)).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^no progress for \d+ ms, not one beat since start \(grace 80 ms\)$/),
    });
    check.beat();
    expect(check(context)).toMatchObject({ status: 'healthy', data: { ageMs: 0, maxAgeMs: 60_000 } });
  });

  it('takes maxAgeMs as the grace period by default', async () => {
    const check = progress({ maxAgeMs: 60 });
    expect(check(context)).toMatchObject({ status: 'healthy' });
    await sleep(120);
    expect(check(context)).toMatchObject({ status: 'unhealthy' });
  });

  it('fails once beats stop for longer than maxAgeMs, naming the age and the limit', async () => {
    const check = progress({ maxAgeMs: 50 });
    check.beat();
    expect(check(context)).toMatchObject({ status: 'healthy' });
    await sleep(30);
    check.beat();
    expect(check(context)).toMatchObject({ status: 'healthy' });
    await sleep(120);
    const result = check(context) as { data?: unknown };
    expect(result).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^no progress for \d+ ms \(max 50 ms\)$/),
    });
    expect(result.data).toMatchObject({ maxAgeMs: 50 });
    check.beat();
    expect(check(context)).toMatchObject({ status: 'healthy' });
  });

  it('beat() allocates nothing and starts no timer, even before the code is optimised', () => {
    const check = progress({ maxAgeMs: 1000 });
    const resources = process.getActiveResourcesInfo().sort();
    const profiler = new GCProfiler();
    profiler.start();
    // Allocating even 8 bytes per beat would fill the young generation many times over.
    for (let i = 0; i < 5_000_000; i++) check.beat();
    const { statistics } = profiler.stop();
    expect(statistics).toEqual([]);
    expect(process.getActiveResourcesInfo().sort()).toEqual(resources);
    expect(check(context)).toMatchObject({ status: 'healthy' });
  });

  it('rejects bad options, naming the option and the value', () => {
    expect(() => progress({ maxAgeMs: 0 })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/progress: maxAgeMs is 0/),
      }),
    );
    expect(() => progress({ maxAgeMs: '60s' as unknown as number })).toThrow(/maxAgeMs is "60s"/);
    expect(() => progress({ maxAgeMs: 1000, graceMs: -1 })).toThrow(/graceMs is -1/);
    expect(() => progress(undefined as unknown as { maxAgeMs: number })).toThrow(/maxAgeMs is undefined/);
  });
});
