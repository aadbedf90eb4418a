import type { Stats } from 'node:fs';

/**
 * What an entry found where a file of `expected` kind should be is, in words for a refusal
 * (`a symbolic link`); `undefined` when it is of the expected kind.
 */
export function describeFileKind(stats: Stats, expected: 'socket' | 'file'): string | undefined {
  if (expected === 'socket' ? stats.isSocket() : stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFile()) return 'a regular file';
  return expected === 'socket' ? 'not a socket' : 'not a regular file';
}
