import { HealthsockError } from '../model/HealthsockError.js';
import { describeValue } from '../options/describeValue.js';
import { rejectUnknownKeys } from '../options/rejectUnknownKeys.js';

/**
 * Checks that a built-in check's options are an object with only `known` keys, and returns them;
 * absent options are an empty object, so that a required option is then named as missing.
 */
export function validateCheckOptions<T extends object>(
  check: string,
  options: T | undefined,
  known: readonly string[],
): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `checks.${check}: options must be an object, got ${describeValue(options)}`,
    );
  }
  rejectUnknownKeys(`checks.${check}`, options, known);
  return options;
}
