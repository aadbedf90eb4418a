import { expect, it } from 'vitest';
import { formatDuration } from '../src/checks/formatDuration.js';

it('writes ms below a second, tenths below ten seconds, whole seconds above', () => {
  expect(formatDuration(0.4)).toBe('0 ms');
  expect(formatDuration(850.6)).toBe('851 ms');
  expect(formatDuration(1000)).toBe('1 s');
  expect(formatDuration(4240)).toBe('4.2 s');
  expect(formatDuration(74_400)).toBe('74 s');
});
