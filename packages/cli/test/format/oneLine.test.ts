import { describe, expect, it } from 'vitest';
import { oneLine } from '@healthsock/server/protocol';

describe('oneLine', () => {
  it('turns each run of line breaks, control characters and the whitespace after them into one space', () => {
    expect(oneLine('connect\r\n  ECONNREFUSED\t\u0000x\u2028y\u2029\u0085z')).toBe('connect ECONNREFUSED x y z');
  });

  it('leaves text without control characters as it is', () => {
    expect(oneLine('postgres: healthy in 1.2 ms — ok ✓ 😀')).toBe('postgres: healthy in 1.2 ms — ok ✓ 😀');
  });

  it('treats exactly the characters of Unicode category Cc as control characters', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const isControl = /[\p{Cc}\u2028\u2029]/u.test(char);
      expect(oneLine(`a${char}b`) !== `a${char}b`, `U+${code.toString(16).padStart(4, '0')}`).toBe(isControl);
    }
  });
});
