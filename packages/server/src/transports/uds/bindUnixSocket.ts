import type * as Fs from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { chmod, link, lstat, mkdir, rmdir, stat, unlink } from 'node:fs/promises';
import type net from 'node:net';
import { basename, dirname, join } from 'node:path';
import { requireBuiltin } from '../../shared/requireBuiltin.js';
import { describeFileKind } from '../../fs/describeFileKind.js';
import { randomName } from '../../fs/randomName.js';
import { isSame, isSameFile, unlinkIfPresent, type FileIdentity } from '../../fs/sameFile.js';
import { errorCode } from '../../model/errorCode.js';
import { healthsockError } from '../../model/errors.js';
import { HealthsockError } from '../../model/HealthsockError.js';
import { MAX_SOCKET_PATH_BYTES } from '../../model/defaultSocketPath.js';
import type { SocketAddress } from '../../model/resolveSocketAddress.js';
import { osErrorWords } from '../../shared/osErrorWords.js';
import { raceDeadline } from '../../shared/raceDeadline.js';
import { closeServer } from '../net/closeServer.js';
import { listen } from '../net/listen.js';

/**
 * `node:fs`, for the calls that have no promise form (the exit hook's, the watcher). Required
 * rather than imported: in an ES module, importing `node:fs` reads every one of its exports, and
 * its lazy ones (the streams) load a dozen more of Node's modules. Required at a file socket's
 * bind, not at the import, since the first `require` also starts Node's CommonJS loader.
 */
const syncFs = () => requireBuiltin('node:fs') as typeof Fs;

/** A listening socket; `unbind` closes it and removes the file it made, if that is still there. */
export interface BoundSocket {
  unbind(): Promise<void>;
}

/** How long an existing socket file gets to show that a live server owns it. */
const LIVENESS_PROBE_MS = 1000;

interface BoundFile extends FileIdentity {
  server: net.Server;
}

/**
 * Makes a server from `createServer` listen on `address`.
 *
 * A file socket is first bound under a temporary name in the same directory, given its mode,
 * and then hard-linked into place. Three reasons: the socket never exists at its public path
 * with the wrong mode; `link` refuses to replace anything that appeared in the meantime; and
 * Node unlinks the path it listened on when it closes, whether or not the file there is still
 * ours, which is harmless for a temporary name that is already gone.
 *
 * If the socket file is deleted while the server runs, it is bound again under the same path.
 */
export async function bindUnixSocket(
  createServer: () => Promise<net.Server>,
  address: SocketAddress,
  mode: number,
): Promise<BoundSocket> {
  if (address.abstract) {
    const server = await createServer();
    await listen(server, { path: address.native }, (error) => translateListenError(error, address.display));
    return { unbind: () => closeServer(server) };
  }

  const path = address.native;
  const { lstatSync, unlinkSync } = syncFs();
  let current = await bindFile(await createServer(), path, mode);
  let closed = false;
  let restoring: Promise<void> | undefined;
  let changedWhileRestoring = false;

  const restore = async () => {
    do {
      changedWhileRestoring = false;
      const present = await lstat(path).then(
        () => true,
        () => false,
      );
      // On failure the next change in the directory tries again; there is nobody to throw to.
      const replacement = present
        ? undefined
        : await createServer()
            .then((server) => bindFile(server, path, mode))
            .catch(() => undefined);
      if (replacement) {
        const previous = current;
        current = replacement;
        // Its open connections finish on their own; waiting for them would miss new deletions.
        void closeServer(previous.server);
      }
    } while (changedWhileRestoring && !closed);
  };
  // A process that ends without close() (its last awaited promise never settled, or a plain
  // process.exit) would leave the file behind for the next start to judge. The 'exit' event is no
  // signal handler and keeps nothing alive; only synchronous calls can run there.
  const removeOnExit = () => {
    try {
      if (isSame(lstatSync(path), current)) unlinkSync(path);
    } catch {
      // Gone already, or not ours to judge: the process is ending either way.
    }
  };
  process.on('exit', removeOnExit);
  const watcher = watchEntry(path, () => {
    if (closed) return;
    if (restoring) changedWhileRestoring = true;
    else restoring = restore().finally(() => (restoring = undefined));
  });

  return {
    unbind: async () => {
      closed = true;
      process.off('exit', removeOnExit);
      watcher?.close();
      await restoring;
      await closeServer(current.server);
      // Remove the path only if it is still the socket this server created.
      if (await isSameFile(path, current)) await unlinkIfPresent(path);
    },
  };
}

async function bindFile(server: net.Server, path: string, mode: number): Promise<BoundFile> {
  // With nothing at the path, `link` alone settles who gets it. Replacing a stale file takes two
  // steps, check and unlink, so servers that found the same stale file take turns under a lock.
  if (!(await inspectExisting(path))) return linkInPlace(server, path, mode, undefined);
  return withLock(path, async () => linkInPlace(server, path, mode, await inspectExisting(path)));
}

async function linkInPlace(
  server: net.Server,
  path: string,
  mode: number,
  stale: FileIdentity | undefined,
): Promise<BoundFile> {
  const temporary = await listenUnderTemporaryName(server, path);
  try {
    await chmod(temporary, mode);
    const { dev, ino } = await lstat(temporary);
    if (stale && (await isSameFile(path, stale))) await unlinkIfPresent(path);
    await link(temporary, path);
    await unlink(temporary);
    return { server, dev, ino };
  } catch (error) {
    await closeServer(server);
    throw translateFsError(error, path);
  }
}

/** A lock left by a process that died while holding it is broken after this long. */
const STALE_LOCK_MS = 5000;

/**
 * Runs `task` while holding `<path>.lock`, a directory: `mkdir` either creates it or fails, so
 * only one process holds it. It is held for a few milliseconds, never while serving.
 */
async function withLock<T>(path: string, task: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const givingUpAt = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw translateFsError(error, path);
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) await rmdir(lock).catch(() => undefined);
      else if (Date.now() > givingUpAt) {
        throw healthsockError('ERR_SOCKET_IN_USE', 'locked', [path, lock]);
      } else await new Promise((resolve) => setTimeout(resolve, 10).unref());
    }
  }
  try {
    return await task();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

/**
 * Calls `onChange` when the directory entry at `path` changes. inotify costs nothing while
 * nothing happens, unlike a polling timer, and the watcher never keeps the process alive.
 * Where the directory cannot be watched, deletion is simply not noticed.
 */
function watchEntry(path: string, onChange: () => void): FSWatcher | undefined {
  const name = basename(path);
  try {
    const watcher = syncFs().watch(dirname(path), { persistent: false }, (_, filename) => {
      if (filename === null || filename === name) onChange();
    });
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}

/**
 * What is at `path` now: nothing (undefined), or a socket file whose server is gone (its
 * identity). Anything else throws.
 */
async function inspectExisting(path: string): Promise<FileIdentity | undefined> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw translateFsError(error, path);
    // Node reports a bind in a missing directory as EACCES, so look for the directory first.
    const parent = await stat(dirname(path)).catch((cause: unknown) => {
      throw translateFsError(cause, path);
    });
    if (!parent.isDirectory()) {
      throw healthsockError('ERR_SOCKET_DIRECTORY_MISSING', 'notDirectory', [path, dirname(path)]);
    }
    return undefined;
  }
  const kind = describeFileKind(stats, 'socket');
  if (kind) {
    throw healthsockError('ERR_SOCKET_PATH_NOT_SOCKET', 'other', [path, kind]);
  }
  const answer = await knock(path);
  if (answer === 'refused') return { dev: stats.dev, ino: stats.ino };
  if (answer === 'missing') return undefined;
  throw answer === 'connected'
    ? healthsockError('ERR_SOCKET_IN_USE', 'path', [path])
    : healthsockError('ERR_SOCKET_IN_USE', 'notRefusing', [path, LIVENESS_PROBE_MS]);
}

/** Connects to an existing socket file to learn whether a server still owns it. */
async function knock(path: string): Promise<'connected' | 'refused' | 'missing' | 'no-answer'> {
  const { connect } = await import('node:net');
  return raceDeadline<'connected' | 'refused' | 'missing' | 'no-answer'>(
    LIVENESS_PROBE_MS,
    () => 'no-answer',
    ({ done }) => {
      const socket = connect(path);
      socket.once('connect', () => done('connected'));
      socket.once('error', (error) => {
        const code = errorCode(error);
        done(code === 'ECONNREFUSED' ? 'refused' : code === 'ENOENT' ? 'missing' : 'no-answer');
      });
      return () => socket.destroy();
    },
  );
}

async function listenUnderTemporaryName(server: net.Server, path: string): Promise<string> {
  const directory = dirname(path);
  // As much randomness as sun_path leaves room for after the directory, a slash and a dot.
  const room = Math.min(12, MAX_SOCKET_PATH_BYTES - Buffer.byteLength(directory) - 2);
  if (room < 4) {
    throw healthsockError('ERR_SOCKET_PATH_TOO_LONG', 'directory', [directory, MAX_SOCKET_PATH_BYTES]);
  }
  for (let attempt = 1; ; attempt++) {
    // Unpredictable enough to avoid other servers' names; `link` guards the real path anyway.
    const temporary = join(directory, `.${randomName(room)}`);
    try {
      await listen(server, { path: temporary }, (error) => translateListenError(error, path));
      return temporary;
    } catch (error) {
      if (!(error instanceof HealthsockError && error.code === 'ERR_SOCKET_IN_USE') || attempt === 3) throw error;
    }
  }
}

function translateListenError(error: unknown, display: string): Error {
  if (errorCode(error) === 'EADDRINUSE') {
    return healthsockError('ERR_SOCKET_IN_USE', 'address', [display], { cause: error });
  }
  return translateFsError(error, display);
}

function translateFsError(error: unknown, path: string): Error {
  if (error instanceof HealthsockError) return error;
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return healthsockError('ERR_SOCKET_DIRECTORY_MISSING', 'missing', [path, dirname(path)], { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return healthsockError('ERR_SOCKET_PERMISSION', 'denied', [path, osErrorWords(code), dirname(path)], {
      cause: error,
    });
  }
  if (code === 'EEXIST') {
    return healthsockError('ERR_SOCKET_IN_USE', 'appeared', [path], { cause: error });
  }
  return healthsockError('ERR_SOCKET_LISTEN', 'socket', [path, String((error as Error).message)], { cause: error });
}
