import { describe, expect, it } from 'vitest';
import { callUser, callUserInto, callUserSync } from '../src/user/callUser.js';

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

/** What callUserInto heard, once its promise has settled. */
async function heard(
  invoke: (argument: string) => unknown,
): Promise<{ settled?: unknown; failed?: unknown; calls: number }> {
  const outcome: { settled?: unknown; failed?: unknown; calls: number } = { calls: 0 };
  await callUserInto(invoke, 'the argument', {
    settled: (value) => {
      outcome.calls++;
      outcome.settled = value;
    },
    failed: (thrown) => {
      outcome.calls++;
      outcome.failed = thrown;
    },
  });
  return outcome;
}

describe('callUserInto', () => {
  for (const [kind, value] of Object.entries(hostile)) {
    it(`hears a throw, a rejection and a throwing thenable of ${kind} as a failure, once`, async () => {
      const throwing = () => {
        throw value;
      };
      for (const invoke of [throwing, () => Promise.reject(value), () => ({ then: throwing })]) {
        const outcome = await heard(invoke);
        expect(outcome.failed).toBe(value);
        expect(outcome.calls).toBe(1);
        expect('settled' in outcome).toBe(false);
      }
    });
  }

  it('passes its argument, and hears the value, awaited when it is a promise', async () => {
    expect(await heard((argument) => argument)).toEqual({ settled: 'the argument', calls: 1 });
    expect(await heard(() => Promise.resolve(3))).toEqual({ settled: 3, calls: 1 });
  });

  it('hears a synchronous throw before it returns', () => {
    let failed: unknown;
    void callUserInto(
      () => {
        throw new Error('at once');
      },
      undefined,
      { settled: () => undefined, failed: (thrown) => (failed = thrown) },
    );
    expect(failed).toBeInstanceOf(Error);
  });

  it('hears a promise whose constructor getter throws, and a revoked proxy, as failures', async () => {
    const promise = Promise.resolve('fine');
    Object.defineProperty(promise, 'constructor', {
      get() {
        throw new Error('constructor');
      },
    });
    const outcome = await heard(() => promise);
    expect((outcome.failed as Error).message).toBe('constructor');
    expect(outcome.calls).toBe(1);
    expect((await heard(() => revoked.proxy)).calls).toBe(1);
    expect((await heard(() => revoked.proxy)).failed).toBeInstanceOf(TypeError);
  });
});
