import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { osErrorWords, parseReply, raceDeadline, type ProbeReply } from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';
import { describeAccess } from './describeAccess.js';
import { kindOf } from './kindOf.js';
import type { FileTarget, TargetRequest } from './Target.js';
import { targetReply } from './targetReply.js';

/** A heartbeat that holds a healthsock reply is a few KiB; more is not read. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * A heartbeat file passes when it is a regular file (symlinks followed) younger than
 * `maxAgeMs`. When it holds a healthsock JSON reply, that reply's status decides.
 */
export function probeFile(target: FileTarget, request: TargetRequest): Promise<ProbeReply> {
  const { deadline, timeoutMs } = request;
  // A file system can hang (a dead NFS mount); the deadline holds even then.
  const late = () => {
    throw new ProbeError('timeout', `could not read ${target.display} within ${timeoutMs} ms`);
  };
  return raceDeadline<ProbeReply>(
    deadline - performance.now(),
    late,
    ({ done, fail }) => void check(target, request).then(done, fail),
  );
}

async function check({ display, path }: FileTarget, request: TargetRequest): Promise<ProbeReply> {
  const { probeGiven, maxAgeMs } = request;
  let { probe } = request;
  const started = performance.now();
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw fileError(error as NodeJS.ErrnoException, display, path);
  }
  if (!stats.isFile()) {
    throw new ProbeError('no-file', `${display} is ${kindOf(stats)}, not a heartbeat file`);
  }
  const ageMs = Math.max(0, Date.now() - stats.mtimeMs);
  const age = `heartbeat is ${seconds(ageMs)} old (max ${seconds(maxAgeMs)})`;
  const took = () => performance.now() - started;
  if (ageMs > maxAgeMs) return targetReply(probe, 'unhealthy', took(), age);
  let content: string;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(MAX_FILE_BYTES, stats.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      content = buffer.subarray(0, bytesRead).toString('utf8').trim();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error as NodeJS.ErrnoException, display, path);
  }
  const parsed = content.startsWith('{') ? parseReply(content) : undefined;
  if (parsed?.ok && !('error' in parsed.reply)) {
    const reply = parsed.reply;
    // A liveness heartbeat says nothing about readiness: a probe the command named must match.
    if (probeGiven && reply.probe !== probe) {
      throw new ProbeError('bad-reply', `${display} holds a ${reply.probe} heartbeat, not ${probe}`);
    }
    probe = reply.probe;
    return { ...reply, probe, message: [age, reply.message].filter(Boolean).join('; ') };
  }
  return targetReply(probe, 'healthy', took(), age);
}

function fileError(error: NodeJS.ErrnoException, display: string, path: string): ProbeError {
  const options = { cause: error };
  switch (error.code) {
    case 'ENOENT':
      return new ProbeError('no-file', `no file at ${display} (is the worker writing its heartbeat there?)`, options);
    case 'ENOTDIR':
      return new ProbeError('no-file', `no file at ${display}: ${osErrorWords(error.code)}`, options);
    case 'EACCES':
    case 'EPERM':
      return new ProbeError(
        'refused',
        `${osErrorWords(error.code)} reading ${display} (${describeAccess(path, 'read')})`,
        options,
      );
    default:
      return new ProbeError('refused', `cannot read ${display}: ${error.code ?? error.message}`, options);
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
