/**
 * A value as an error message shows it: as it was given, short, and never throwing. A string is
 * quoted (`"50"`, so that it reads as a string and not as the number), `NaN` stays `NaN`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const quoted = JSON.stringify(value);
      return quoted.length > 60 ? `${quoted.slice(0, 59)}…"` : quoted;
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    default:
      if (value === null) return 'null';
      try {
        return Array.isArray(value) ? 'an array' : 'an object';
      } catch {
        // A revoked proxy cannot even say whether it is an array.
        return 'an object';
      }
  }
}
