import { accessSync, chmodSync, constants, cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER } from './processes.js';

const SERVER_PACKAGE = fileURLToPath(new URL('../../packages/server', import.meta.url));

/**
 * Copies the test worker and the built `@healthsock/server` into `dir`, readable by every user,
 * for a worker run as another user (`nobody`). The clone itself may be anywhere, e.g. inside a
 * 0700 home directory that such a user cannot enter. Node comes along too when that user could
 * not run it where it is. Returns what to pass to `startWorker`.
 */
export function copyWorkerForOthers(dir: string): { script: string; execPath: string } {
  const server = join(dir, 'node_modules', '@healthsock', 'server');
  mkdirSync(server, { recursive: true });
  cpSync(join(SERVER_PACKAGE, 'package.json'), join(server, 'package.json'));
  cpSync(join(SERVER_PACKAGE, 'dist'), join(server, 'dist'), { recursive: true });
  const script = join(dir, 'worker.js');
  cpSync(WORKER, script);
  let execPath = process.execPath;
  if (!othersCanRun(execPath)) {
    execPath = join(dir, 'node');
    cpSync(process.execPath, execPath);
  }
  openUp(dir);
  return { script, execPath };
}

/** Whether a user other than the owner may run `file`: every directory above it must let them in. */
function othersCanRun(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return false;
  }
  if ((statSync(file).mode & 0o005) !== 0o005) return false;
  for (let at = dirname(file); ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (at === parse(at).root) return true;
  }
}

/** Directories 0755 and files 0644 (0755 when executable), whatever the umask was. */
function openUp(path: string): void {
  const stats = statSync(path);
  if (stats.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
  } else {
    chmodSync(path, stats.mode & 0o100 ? 0o755 : 0o644);
  }
}
