/**
 * A name of `length` letters and digits, for a temporary file beside the real one: unpredictable
 * enough to avoid other servers' names, while the real path is guarded by `link` or `rename` anyway.
 */
export function randomName(length: number): string {
  let name = '';
  while (name.length < length) name += Math.random().toString(36).slice(2);
  return name.slice(0, length);
}
