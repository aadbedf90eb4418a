import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/parseDuration.js';

describe('parseDuration', () => {
  it.each([
    ['800ms', 800],
    ['2s', 2000],
    ['1.5s', 1500],
    [' 250ms ', 250],
    ['0.5ms', 1],
    ['3600s', 3_600_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration('--timeout', text)).toBe(ms);
  });

  it.each(['800', '2', '', 'ms', '-1s', '0ms', '61m', '2h', '2 s', '1e3ms', '3601s', 'soon'])(
    'refuses %j with a usage error naming it',
    (text) => {
      expect(() => parseDuration('--timeout', text)).toThrow(
        expect.objectContaining({
          code: 'usage',
          message: expect.stringContaining(`--timeout ${JSON.stringify(text)}`),
        }),
      );
    },
  );
});
