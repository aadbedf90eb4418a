import { describe, expect, it } from 'vitest';
import { resolveSocketAddress } from '../src/model/resolveSocketAddress.js';

describe('resolveSocketAddress', () => {
  it('keeps a file path as it is', () => {
    expect(resolveSocketAddress('/tmp/healthsock.sock')).toEqual({
      ok: true,
      address: { display: '/tmp/healthsock.sock', native: '/tmp/healthsock.sock', abstract: false },
    });
  });

  it('turns @name into an abstract address with a leading NUL', () => {
    expect(resolveSocketAddress('@worker-health')).toEqual({
      ok: true,
      address: { display: '@worker-health', native: '\0worker-health', abstract: true },
    });
  });

  it('accepts 107 bytes and refuses 108, naming the length and the limit', () => {
    expect(resolveSocketAddress(`/${'a'.repeat(106)}`).ok).toBe(true);
    const tooLong = resolveSocketAddress(`/${'a'.repeat(130)}`);
    expect(tooLong).toMatchObject({ ok: false, tooLong: true });
    if (!tooLong.ok) expect(tooLong.reason).toMatch(/is 131 bytes; the limit is 107$/);
    expect(resolveSocketAddress(`@${'a'.repeat(108)}`)).toMatchObject({ ok: false, tooLong: true });
  });

  it('counts bytes, not characters', () => {
    expect(resolveSocketAddress(`/${'é'.repeat(54)}`)).toMatchObject({ ok: false, tooLong: true });
  });

  it.each(['', '@', '/tmp/a\0b'])('refuses %j', (path) => {
    expect(resolveSocketAddress(path)).toMatchObject({ ok: false, tooLong: false });
  });
});
