/** Small statistics and formatting helpers shared by every measurement. */

/** @param {number[]} values @param {number} p from 0 to 100 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (rank - low);
}

/** @param {number[]} values */
export const median = (values) => percentile(values, 50);

/**
 * Runs `rounds` rounds; each round runs every variant once, in order, so that any drift in
 * the machine's load hits every variant alike (A B C A B C ...). Returns the samples by name.
 *
 * @template T
 * @param {number} rounds
 * @param {Record<string, () => T | Promise<T>>} variants
 * @returns {Promise<Record<string, T[]>>}
 */
export async function alternate(rounds, variants) {
  /** @type {Record<string, T[]>} */
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) samples[name]?.push(await run());
  }
  return samples;
}

/** @param {number} value @param {number} [digits] */
export function fixed(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** `a / b` as `1.23×`, or a dash when either side is missing. @param {number} a @param {number} b */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '–';
}

/**
 * Formats rows as an aligned plain-text table that is also valid Markdown. The first
 * `textColumns` columns (or the columns listed) are left-aligned labels; the rest are
 * right-aligned figures.
 *
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {number | number[]} [textColumns]
 */
export function table(header, rows, textColumns = 1) {
  const isText = (/** @type {number} */ i) => (Array.isArray(textColumns) ? textColumns.includes(i) : i < textColumns);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const pad = (/** @type {string} */ cell, /** @type {number} */ i) =>
    isText(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0);
  const line = (/** @type {string[]} */ cells) => `| ${header.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (isText(i) ? `${'-'.repeat(width + 2)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
