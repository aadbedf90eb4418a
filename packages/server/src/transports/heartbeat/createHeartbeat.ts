import { lstat, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HealthsockError } from '../../model/HealthsockError.js';
import { passes } from '../../model/passes.js';
import type { ProbeName } from '../../model/probes.js';
import type { ProbeReport } from '../../model/reports.js';
import { startActingMonitor } from '../../monitor/startActingMonitor.js';
import { osErrorWords } from '../../shared/osErrorWords.js';
import type { Monitor } from '../../monitor/startMonitor.js';
import { encodeProbeReply, parseReply } from '../../wire/reply.js';
import { errorCode } from '../net/errorCode.js';
import type { Transport } from '../Transport.js';

export interface HeartbeatOptions {
  path: string;
  probe: ProbeName;
  intervalMs: number;
  evaluate: (probe: ProbeName) => Promise<ProbeReport>;
  /** Where a failed write or a foreign file at the path is reported. */
  fault: (error: HealthsockError) => void;
}

interface Identity {
  dev: number;
  ino: number;
}

/**
 * A file that exists only while its probe passes: every interval it is written anew (to a
 * temporary file, then renamed into place, so it is never half-written and its mtime is fresh),
 * holding the probe's one-line JSON reply; while the probe fails it is removed. It never
 * follows a symlink, and never replaces or removes a file it did not write.
 */
export function createHeartbeat(options: HeartbeatOptions): Transport {
  const { path, probe, intervalMs, evaluate, fault } = options;
  let monitor: Monitor | undefined;
  let written: Identity | undefined;

  /** Whether the entry at `path` may be replaced or removed: nothing, or the file this server wrote. */
  const mayTouch = async (): Promise<boolean> => {
    const now = await lstat(path).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    return now === undefined || (written !== undefined && now.dev === written.dev && now.ino === written.ino);
  };

  const write = async (report: ProbeReport) => {
    const temporary = join(dirname(path), `.${basename(path)}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    // 'wx' creates a new file and fails on anything already there, a symlink included.
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(encodeProbeReply(report));
      const { dev, ino } = await handle.stat();
      await handle.close();
      if (!(await mayTouch())) throw foreign();
      await rename(temporary, path);
      written = { dev, ino };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  };
  const remove = async () => {
    if (written && (await mayTouch())) await unlink(path).catch(ignoreMissing);
    written = undefined;
  };
  const foreign = () =>
    new HealthsockError(
      'ERR_HEARTBEAT_FILE',
      `heartbeat path ${path} holds something this server did not write; leaving it alone`,
    );
  const act = async (report: ProbeReport) => (passes(report.status) ? write(report) : remove());

  return {
    async start() {
      await adoptLeftover(path);
      // A file from an earlier run of this worker may be replaced; what else is there may not.
      const existing = await lstat(path).catch(() => undefined);
      if (existing) written = { dev: existing.dev, ino: existing.ino };
      const started = startActingMonitor(evaluate, {
        probe,
        intervalMs,
        // Writing proves the directory usable now; a failing probe then removes it again.
        first: async (report) => {
          try {
            await write(report);
            if (!passes(report.status)) await remove();
          } catch (error) {
            throw translateFileError(error, path);
          }
        },
        next: act,
        onActionError: (error) =>
          fault(
            new HealthsockError(
              'ERR_HEARTBEAT_FILE',
              `healthsock: ${translateFileError(error, path).message}; retrying every ${intervalMs} ms`,
              { cause: error },
            ),
          ),
        onError: (error) =>
          fault(
            new HealthsockError(
              'ERR_HEARTBEAT_FILE',
              `healthsock: the heartbeat's ${probe} probe failed: ${String(error)}`,
              {
                cause: error,
              },
            ),
          ),
      });
      monitor = started.monitor;
      try {
        await started.ready;
      } catch (error) {
        await this.stop();
        throw error;
      }
    },
    async stop() {
      const current = monitor;
      monitor = undefined;
      await current?.stop();
      // A heartbeat must not outlive its server: a stale file would pass a probe.
      await remove().catch(() => undefined);
    },
  };
}

/**
 * Checks what is at `path` before the first write: nothing, or a heartbeat an earlier run left
 * (a regular file holding a reply). A symlink, a directory or any other file is refused.
 */
async function adoptLeftover(path: string): Promise<void> {
  const directory = await stat(dirname(path)).catch(() => undefined);
  if (!directory?.isDirectory()) {
    throw new HealthsockError('ERR_HEARTBEAT_FILE', `heartbeat directory ${dirname(path)} does not exist`);
  }
  const existing = await lstat(path).catch(() => undefined);
  if (!existing) return;
  const kind = existing.isSymbolicLink()
    ? 'a symbolic link'
    : existing.isDirectory()
      ? 'a directory'
      : existing.isFile()
        ? undefined
        : 'not a regular file';
  const ours =
    kind === undefined && existing.size <= 8192 && parseReply((await readFile(path, 'utf8').catch(() => '')).trim()).ok;
  if (!ours) {
    throw new HealthsockError(
      'ERR_HEARTBEAT_FILE',
      `heartbeat path ${path} is ${kind ?? 'a file healthsock did not write'}; refusing to replace it (remove it, or choose another path)`,
    );
  }
}

function translateFileError(error: unknown, path: string): Error {
  if (error instanceof HealthsockError) return error;
  const code = errorCode(error);
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? osErrorWords(code)
      : code === 'ENOENT'
        ? 'its directory does not exist'
        : String((error as Error).message);
  return new HealthsockError('ERR_HEARTBEAT_FILE', `cannot write heartbeat ${path}: ${reason}`, { cause: error });
}

function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== 'ENOENT') throw error;
}
