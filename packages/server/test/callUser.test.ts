import { describe, expect, it } from 'vitest';
import { callUser, callUserSync } from '../src/user/callUser.js';

const revoked = Proxy.revocable({}, {});
revoked.revoke();
const hostile: Record<string, unknown> = {
  undefined,
  null: null,
  NaN: Number.NaN,
  'a BigInt': 7n,
  'a symbol': Symbol('s'),
  'a null-prototype object': Object.create(null),
  'a revoked proxy': revoked.proxy,
  'an object whose message getter and toString throw': {
    get message(): string {
      throw new Error('getter');
    },
    toString(): string {
      throw new Error('toString');
    },
  },
};

describe('callUser', () => {
  for (const [kind, value] of Object.entries(hostile)) {
    it(`turns a throw, a rejection and a throwing thenable of ${kind} into a reason`, async () => {
      const throwing = () => {
        throw value;
      };
      for (const outcome of [
        callUserSync(throwing),
        await callUser(throwing),
        await callUser(() => Promise.reject(value)),
        await callUser(() => ({ then: throwing })),
      ]) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) {
          expect(outcome.thrown).toBe(value);
          expect(typeof outcome.reason).toBe('string');
        }
      }
    });
  }

  it('gives back the value, awaited when it is a promise', async () => {
    expect(callUserSync(() => 'x')).toEqual({ ok: true, value: 'x' });
    expect(await callUser(() => Promise.resolve(3))).toEqual({ ok: true, value: 3 });
  });

  it('settles a returned revoked proxy as a failure rather than throwing', async () => {
    const outcome = await callUser(() => revoked.proxy);
    expect(outcome.ok).toBe(false);
  });
});
