import { HealthsockError } from '../model/HealthsockError.js';
import { describeValue } from '../options/describeValue.js';

/**
 * Returns `value` if it is a finite number from `min` to `max`, else throws ERR_INVALID_OPTION
 * naming the check, the option and the value, so a typo fails where the check is created.
 */
export function validateNumber(check: string, option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `checks.${check}: ${option} is ${describeValue(value)}; it must be a number from ${min} to ${max}`,
    );
  }
  return value;
}
