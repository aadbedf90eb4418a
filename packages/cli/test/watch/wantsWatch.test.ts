import { expect, it } from 'vitest';
import { wantsWatch } from '../../src/watch/wantsWatch.js';

it('sees --watch in either spelling, and nothing else', () => {
  expect(wantsWatch(['readiness', '--watch'])).toBe(true);
  expect(wantsWatch(['--watch=2s'])).toBe(true);
  expect(wantsWatch(['readiness', '-s', '/run/watch.sock', '--watcher'])).toBe(false);
});
