/**
 * A readable message for whatever a check threw, never its stack: stacks leak paths and waste
 * the line. It never throws itself, whatever the value does: getters that throw, revoked
 * proxies, cyclic objects, BigInts, symbols and objects without a prototype all get a message.
 */
export function describeThrown(error: unknown): string {
  try {
    return describe(error);
  } catch {
    return `threw a${typeof error === 'object' ? 'n' : ''} ${typeof error} that cannot be described`;
  }
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error || 'threw an empty string';
  if (typeof error === 'function') return 'threw a function';
  if (typeof error === 'object' && error !== null) {
    let message: unknown;
    try {
      message = (error as { message?: unknown }).message;
    } catch {
      return 'threw an object whose message cannot be read';
    }
    const text = primitiveText(message);
    if (text) return text;
    if (error instanceof Error) {
      const name = primitiveText(readQuietly(error, 'name'));
      return name ? `threw ${name} without a message` : 'threw an Error without a message';
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(error);
  } catch {
    // A cyclic object, a BigInt inside, a throwing getter or toJSON: fall back to String().
  }
  return `threw ${json ?? String(error)}`;
}

function readQuietly(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Strings, numbers, booleans and BigInts as text; undefined for anything else, or an empty string. */
export function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}
