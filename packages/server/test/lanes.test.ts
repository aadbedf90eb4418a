import { describe, expect, it } from 'vitest';
import { lanes } from '../src/checks/lanes.js';
import { sleep } from '../../../test/helpers/time.js';

const context = { signal: new AbortController().signal, probe: 'liveness' as const };

describe('checks.lanes', () => {
  it('is healthy with no lanes', () => {
    expect(lanes({ maxAgeMs: 10 })(context)).toMatchObject({ status: 'healthy', message: 'no lanes' });
  });

  it('fails when one lane stops while the others move, naming only that lane', async () => {
    const check = lanes({ maxAgeMs: 60 });
    const a = check.add('orders/0');
    const b = check.add('orders/1');
    const c = check.add('orders/2');
    for (let i = 0; i < 6; i++) {
      a.beat();
      c.beat();
      check(context);
      await sleep(25);
    }
    // The moving lanes beat just before each reading too, so a late timer cannot make them stuck.
    a.beat();
    b.beat();
    c.beat();
    expect(check(context)).toMatchObject({ status: 'healthy', data: { lanes: 3, stuck: 0 } });
    for (let i = 0; i < 6; i++) {
      a.beat();
      c.beat();
      check(context);
      await sleep(25);
    }
    a.beat();
    c.beat();
    expect(check(context)).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^lane orders\/1: no progress for \d+ ms \(max 60 ms\)$/),
      data: { lanes: 3, stuck: 1 },
    });
    b.beat();
    expect(check(context)).toMatchObject({ status: 'healthy' });
  });

  it('gives a lane added later its own grace period, and forgets a removed lane', async () => {
    const check = lanes({ maxAgeMs: 40, graceMs: 60 });
    check.add('p0');
    await sleep(90);
    expect(check(context)).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^lane p0: .*not one beat/),
    });
    const p1 = check.add('p1');
    expect(check.remove('p0')).toBe(true);
    expect(check.remove('p0')).toBe(false);
    expect(check(context)).toMatchObject({ status: 'healthy', data: { lanes: 1 } });
    expect(check.names).toEqual(['p1']);
    expect(check.add('p1')).toBe(p1);
  });

  it('names three stuck lanes and counts the rest', async () => {
    const check = lanes({ maxAgeMs: 10, graceMs: 0 });
    for (let i = 0; i < 5; i++) check.add(`q${i}`);
    await sleep(20);
    expect(check(context)).toMatchObject({
      message: expect.stringMatching(/^lane q0: .*; lane q1: .*; lane q2: .*; and 2 more lanes$/),
      data: { stuck: 5 },
    });
  });

  it('rejects bad options, unknown keys and bad lane names', () => {
    expect(() => lanes({ maxAgeMs: -5 })).toThrow(/lanes: maxAgeMs is -5/);
    expect(() => lanes({ maxAgeMs: 5, grace: 1 } as unknown as { maxAgeMs: number })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/unknown option "grace"/) }),
    );
    expect(() => lanes({ maxAgeMs: 5 }).add('')).toThrow(/lane name must be a non-empty string/);
  });
});
