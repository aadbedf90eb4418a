import { describe, expect, it } from 'vitest';
import { cutBytes, cutText } from '../src/shared/cutText.js';

describe('cutText and cutBytes', () => {
  it('leave text that fits as it is', () => {
    expect(cutText('abc', 3)).toBe('abc');
    expect(cutBytes('ééé', 6)).toBe('ééé');
  });

  it('cut to the limit, the ellipsis included', () => {
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutBytes('abcdef', 5)).toBe('ab…');
    expect(Buffer.byteLength(cutBytes('é'.repeat(100), 11))).toBeLessThanOrEqual(11);
  });

  it('never split a character', () => {
    expect(cutText('ab😀cd', 4)).toBe('ab…');
    expect(cutBytes('ab😀cd', 7)).toBe('ab…');
    expect(cutBytes('aéé', 4)).toBe('a…');
  });
});
