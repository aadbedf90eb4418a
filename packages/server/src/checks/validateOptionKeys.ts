import { HealthsockError } from '../model/HealthsockError.js';

/**
 * Throws ERR_INVALID_OPTION when `options` is not an object or has a key outside `known`, so a
 * misspelt option (`maxAgeMS`) fails where the check is created instead of being ignored.
 */
export function validateOptionKeys(check: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `checks.${check}: options must be an object such as { ${known[0] ?? ''}: … }, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `checks.${check}: unknown option ${JSON.stringify(key)}; the options are ${known.join(', ')}`,
      );
    }
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}
