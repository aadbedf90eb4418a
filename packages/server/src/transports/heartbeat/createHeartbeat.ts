import { lstat, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFileKind } from '../../fs/describeFileKind.js';
import { randomName } from '../../fs/randomName.js';
import { identityAt, isSame, unlinkIfPresent, type FileIdentity } from '../../fs/sameFile.js';
import { errorCode } from '../../model/errorCode.js';
import { healthsockError } from '../../model/errors.js';
import { HealthsockError } from '../../model/HealthsockError.js';
import type { ProbeName } from '../../model/probes.js';
import type { ProbeReport } from '../../model/reports.js';
import { createActingMonitor } from '../../monitor/createActingMonitor.js';
import { osErrorWords } from '../../shared/osErrorWords.js';
import { encodeProbeReply, parseReply } from '../../wire/reply.js';
import type { Transport } from '../Transport.js';
import type { TransportContext } from '../TransportContext.js';

export interface HeartbeatOptions {
  path: string;
  probe: ProbeName;
  intervalMs: number;
}

/**
 * A file that exists only while its probe passes: every interval it is written anew (to a
 * temporary file, then renamed into place, so it is never half-written and its mtime is fresh),
 * holding the probe's one-line JSON reply; while the probe fails it is removed. It never
 * follows a symlink, and never replaces or removes a file it did not write.
 */
export function createHeartbeat(options: HeartbeatOptions, context: TransportContext): Transport {
  const { path } = options;
  let written: FileIdentity | undefined;

  /** Whether the entry at `path` may be replaced or removed: nothing, or the file this server wrote. */
  const mayTouch = async (): Promise<boolean> => {
    const now = await identityAt(path);
    return now === undefined || isSame(now, written);
  };

  const write = async (report: ProbeReport) => {
    const temporary = join(dirname(path), `.${basename(path)}.${randomName(8)}.tmp`);
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
    if (written && (await mayTouch())) await unlinkIfPresent(path);
    written = undefined;
  };
  const foreign = () => healthsockError('ERR_HEARTBEAT_FILE', 'foreign', [path]);

  const monitor = createActingMonitor(options, context, {
    name: 'heartbeat',
    code: 'ERR_HEARTBEAT_FILE',
    hold: write,
    // A heartbeat must not outlive its server: a stale file would pass a probe.
    drop: remove,
    translate: (error) => translateFileError(error, path),
  });

  return {
    async start() {
      await adoptLeftover(path);
      // A file from an earlier run of this worker may be replaced; what else is there may not.
      written = await identityAt(path).catch(() => undefined);
      // Writing proves the directory usable now; a failing probe then removes it again.
      await monitor.start();
    },
    stop: () => monitor.stop(),
  };
}

/**
 * Checks what is at `path` before the first write: nothing, or a heartbeat an earlier run left
 * (a regular file holding a reply). A symlink, a directory or any other file is refused.
 */
async function adoptLeftover(path: string): Promise<void> {
  const directory = await stat(dirname(path)).catch(() => undefined);
  if (!directory?.isDirectory()) {
    throw healthsockError('ERR_HEARTBEAT_FILE', 'noDirectory', [dirname(path)]);
  }
  const existing = await lstat(path).catch(() => undefined);
  if (!existing) return;
  const kind = describeFileKind(existing, 'file');
  const ours =
    kind === undefined && existing.size <= 8192 && parseReply((await readFile(path, 'utf8').catch(() => '')).trim()).ok;
  if (!ours) {
    throw healthsockError('ERR_HEARTBEAT_FILE', 'refused', [path, kind ?? 'a file healthsock did not write']);
  }
}

function translateFileError(error: unknown, path: string): HealthsockError {
  if (error instanceof HealthsockError) return error;
  const code = errorCode(error);
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? osErrorWords(code)
      : code === 'ENOENT'
        ? 'its directory does not exist'
        : String((error as Error).message);
  return healthsockError('ERR_HEARTBEAT_FILE', 'write', [path, reason], { cause: error });
}
