import net from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  MAX_SOCKET_PATH_BYTES,
  osErrorWords,
  parseReply,
  raceDeadline,
  type ProbeName,
  type ProbeReply,
  type SocketAddress,
} from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';

export interface ProbeSocketOptions {
  address: SocketAddress;
  probe: ProbeName;
  /** When the whole exchange must be over, on the `performance.now()` clock. */
  deadline: number;
  /** The whole timeout as the user gave it, for messages. */
  timeoutMs: number;
}

/** A reply is at most a few KiB; anything far larger is not a healthsock server. */
const MAX_READ_BYTES = 64 * 1024;

/**
 * Asks the server at `address` for one probe, within the deadline: connect, send the request,
 * read one reply line. Resolves with the reply, whatever its status; rejects with a
 * {@link ProbeError} when there is no usable reply.
 */
export async function probeSocket(options: ProbeSocketOptions): Promise<ProbeReply> {
  const { address } = options;
  try {
    return await exchange(options, address.native);
  } catch (error) {
    // Node 20 binds an abstract name padded with NULs to the full 108 bytes; Node 22 and later
    // use the name's own length. A client on a newer Node reaches a Node 20 worker only padded.
    const padded =
      address.native + '\0'.repeat(Math.max(0, MAX_SOCKET_PATH_BYTES + 1 - Buffer.byteLength(address.native)));
    const refused =
      error instanceof ProbeError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
    if (address.abstract && refused && padded !== address.native) return exchange(options, padded);
    const code = (error as { cause?: NodeJS.ErrnoException } | undefined)?.cause?.code;
    // Why a path refuses or denies is worth a few system calls, made only then.
    if (!address.abstract && (code === 'ECONNREFUSED' || code === 'EACCES' || code === 'EPERM')) {
      const { explainSocketPath } = await import('./explainSocketPath.js');
      throw explainSocketPath(error as ProbeError, address);
    }
    throw error;
  }
}

function exchange({ address, probe, deadline, timeoutMs }: ProbeSocketOptions, native: string): Promise<ProbeReply> {
  const where = address.display;
  let connected = false;
  const late = () => {
    throw new ProbeError(
      'timeout',
      connected
        ? `no reply from ${where} within ${timeoutMs} ms (connected; the worker's event loop may be blocked)`
        : `could not connect to ${where} within ${timeoutMs} ms`,
    );
  };
  return raceDeadline<ProbeReply>(deadline - performance.now(), late, ({ done, fail }) => {
    let received = Buffer.alloc(0);
    const socket = net.connect(native);
    const finish = (outcome: ProbeReply | ProbeError) =>
      outcome instanceof ProbeError ? fail(outcome) : done(outcome);

    socket.once('connect', () => {
      connected = true;
      // The remaining deadline travels with the request, so the server can answer in time.
      const remainingMs = Math.max(1, Math.floor(deadline - performance.now()));
      socket.end(`${JSON.stringify({ probe, timeoutMs: remainingMs })}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline !== -1) finish(interpret(received.subarray(0, newline), where));
      else if (received.length > MAX_READ_BYTES) {
        finish(new ProbeError('bad-reply', `reply from ${where} exceeds ${MAX_READ_BYTES} bytes without a newline`));
      }
    });
    socket.once('end', () => finish(interpret(received, where)));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(connectionError(error, connected, address)));
    return () => socket.destroy();
  });
}

function interpret(line: Buffer, where: string): ProbeReply | ProbeError {
  if (line.length === 0) return new ProbeError('bad-reply', `${where} closed the connection without a reply`);
  if (line.length > MAX_READ_BYTES)
    return new ProbeError('bad-reply', `reply from ${where} exceeds ${MAX_READ_BYTES} bytes`);
  const parsed = parseReply(line.toString('utf8'));
  if (!parsed.ok) return new ProbeError('bad-reply', `${where} sent an unusable reply: ${parsed.reason}`);
  if ('error' in parsed.reply) {
    const { code, message } = parsed.reply.error;
    return new ProbeError('bad-reply', `${where} rejected the request: ${code}: ${message}`);
  }
  return parsed.reply;
}

function connectionError(error: NodeJS.ErrnoException, connected: boolean, address: SocketAddress): ProbeError {
  const where = address.display;
  const options = { cause: error };
  if (connected)
    return new ProbeError(
      'bad-reply',
      `connection to ${where} failed before a reply: ${error.code ?? error.message}`,
      options,
    );
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ProbeError(
        'no-socket',
        `no socket at ${where} (is the worker running, and is the socket path right?)`,
        options,
      );
    case 'ECONNREFUSED':
      // An abstract name that nobody holds is refused, because there is no file to be missing.
      // (A path that refuses may also be no socket at all: see explainSocketPath.)
      return address.abstract
        ? new ProbeError('no-socket', `no server holds abstract socket ${where}`, options)
        : new ProbeError(
            'refused',
            `nothing is listening at ${where} (a stale socket file: the worker may have exited)`,
            options,
          );
    case 'EACCES':
    case 'EPERM':
      return new ProbeError('refused', `${osErrorWords(error.code)} connecting to ${where}`, options);
    case 'EAGAIN':
      return new ProbeError('refused', `${where} is not accepting connections (${osErrorWords(error.code)})`, options);
    default:
      return new ProbeError('refused', `cannot connect to ${where}: ${error.code ?? error.message}`, options);
  }
}
