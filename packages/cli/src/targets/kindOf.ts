import type { Stats } from 'node:fs';

/** What is at a path, for a message: "a directory", "a regular file", "a socket", ... */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'a device';
}
