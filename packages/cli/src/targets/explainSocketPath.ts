import { statSync } from 'node:fs';
import type { SocketAddress } from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';
import { describeAccess } from './describeAccess.js';
import { kindOf } from './kindOf.js';

/**
 * A refused or denied connection to a socket path, explained. Linux refuses a connection to
 * any file that is not a socket, a directory included, so a `refused` there names what is
 * actually at the path; a denied one names the directory or mode that denies it.
 */
export function explainSocketPath(error: ProbeError, address: SocketAddress): ProbeError {
  const where = address.display;
  const options = { cause: error.cause };
  if (error.code === 'refused' && (error.cause as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
    const other = notASocket(address.native);
    if (!other) return error;
    const hint =
      other === 'a directory'
        ? 'the socket path must name the socket file inside it, e.g. health.sock'
        : 'the socket path is wrong, or another program owns this file';
    return new ProbeError('no-socket', `${where} is ${other}, not a socket (${hint})`, options);
  }
  return new ProbeError('refused', `${error.message} (${describeAccess(address.native, 'connect')})`, options);
}

/** What is at `path` when it is not a socket, or `undefined` for a socket (or nothing to see). */
function notASocket(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return stats.isSocket() ? undefined : kindOf(stats);
  } catch {
    return undefined;
  }
}
