import type { Stats } from 'node:fs';
import { lstat, unlink } from 'node:fs/promises';
import { errorCode } from '../model/errorCode.js';

/**
 * Which file a directory entry is: a file written or bound by this server is known by it, so that
 * the server replaces or removes only its own file, never one that took its place meanwhile.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** Whether two identities are the same file; nothing is the same as nothing else. */
export function isSame(a: FileIdentity | Stats | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** The entry at `path`, not following a symlink: its identity, or `undefined` when there is none. Other failures throw. */
export async function identityAt(path: string): Promise<FileIdentity | undefined> {
  try {
    const { dev, ino } = await lstat(path);
    return { dev, ino };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether `path` is still the file `identity` names; when it cannot be looked at, it is not. */
export function isSameFile(path: string, identity: FileIdentity): Promise<boolean> {
  return identityAt(path).then(
    (now) => isSame(now, identity),
    () => false,
  );
}

/** Removes `path`; an entry that is gone already is what was asked for. */
export async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}
