import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Says why this process may not reach `path`: the first directory on the way that it cannot
 * enter, or the file's own mode, each with its owner. Only called after EACCES, so its system
 * calls cost a probe that succeeds nothing.
 */
export function describeAccess(path: string, need: 'read' | 'connect'): string {
  const who = `uid ${process.getuid?.() ?? '?'}`;
  const full = resolve(path);
  const directories: string[] = [];
  for (let dir = dirname(full); ; dir = dirname(dir)) {
    directories.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  for (const dir of directories) {
    try {
      accessSync(dir, constants.X_OK);
    } catch {
      return `${who} cannot enter the directory ${dir}${modeOf(dir)}`;
    }
  }
  try {
    accessSync(full, need === 'read' ? constants.R_OK : constants.W_OK);
  } catch {
    const verb = need === 'read' ? 'read it' : 'connect: a socket needs write permission';
    return `${who} cannot ${verb}${modeOf(full)}`;
  }
  return `check the mode and owner of ${full} and of its directories`;
}

function modeOf(path: string): string {
  try {
    const stats = statSync(path);
    return ` (mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}, owner uid ${stats.uid}, group ${stats.gid})`;
  } catch {
    return '';
  }
}
