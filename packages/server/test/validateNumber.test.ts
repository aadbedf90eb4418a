import { expect, it } from 'vitest';
import { validateNumber } from '../src/checks/validateNumber.js';

it('returns a number in range and rejects anything else with the check, option and value', () => {
  expect(validateNumber('heap', 'maxUsedRatio', 0.5, 0, 1)).toBe(0.5);
  for (const bad of [1.5, -1, Number.NaN, Infinity, '0.5', undefined, null]) {
    expect(() => validateNumber('heap', 'maxUsedRatio', bad, 0, 1)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/^checks\.heap: maxUsedRatio is .+; it must be a number from 0 to 1$/),
      }),
    );
  }
});
