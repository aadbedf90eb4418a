import { expect, it } from 'vitest';
import { extractWatch } from '../../src/watch/extractWatch.js';

it('takes --watch and its interval out of the command line, leaving the rest as written', () => {
  expect(extractWatch(['readiness', '--watch'])).toEqual({ intervalMs: 1000, rest: ['readiness'] });
  expect(extractWatch(['readiness', '--watch', '2s', '-s', '/x'])).toEqual({
    intervalMs: 2000,
    rest: ['readiness', '-s', '/x'],
  });
  expect(extractWatch(['--watch=250ms', 'tcp://db:5432'])).toEqual({ intervalMs: 250, rest: ['tcp://db:5432'] });
  // A word that does not start with a digit is the probe or the target, not the interval.
  expect(extractWatch(['--watch', 'readiness'])).toEqual({ intervalMs: 1000, rest: ['readiness'] });
});

it('refuses a bad, too short or repeated --watch as a usage error', () => {
  expect(() => extractWatch(['--watch', '2'])).toThrow(expect.objectContaining({ code: 'usage' }));
  expect(() => extractWatch(['--watch=50ms'])).toThrow(/--watch "50ms" is shorter than 100ms/);
  expect(() => extractWatch(['--watch', '--watch'])).toThrow(/give --watch once/);
});
