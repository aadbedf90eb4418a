import { HealthsockError } from '../model/HealthsockError.js';

/**
 * Throws `ERR_INVALID_OPTION` for the first key of `given` that is not in `known`, suggesting the
 * nearest known key: in plain JavaScript a misspelt option (`socket:` for `socketPath:`) would
 * otherwise be ignored without a word, and its default used instead.
 */
export function rejectUnknownKeys(where: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const nearest = nearestKey(key, known);
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `${where} has an unknown option ${JSON.stringify(key).slice(0, 60)}${nearest ? `; did you mean ${JSON.stringify(nearest)}? Known` : '; known'} options: ${known.join(', ')}`,
    );
  }
}

/** The known key closest to `key` by edit distance (case ignored), or one that contains it or that it contains. */
function nearestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  // Beyond a third of the name, a suggestion is a guess.
  return best && best.distance <= Math.max(2, Math.ceil(key.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
