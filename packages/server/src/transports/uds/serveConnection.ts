import type net from 'node:net';
import { COMPAT_REQUEST, MAX_REQUEST_BYTES } from '../../wire/constants.js';
import { parseRequest, type ProbeRequest } from '../../wire/parseRequest.js';
import { encodeErrorReply } from '../../wire/reply.js';

/** Turns a parsed request into the bytes to send back. It must not reject. */
export type Answer = (request: ProbeRequest) => Promise<string>;

const NEWLINE = 0x0a;
const COMPAT_BYTES = Buffer.from(COMPAT_REQUEST);

/**
 * Serves one connection: read one request line, write one reply, close. Whatever the client
 * sends or does, the outcome is a reply or a close, never an exception in the host.
 */
export function serveConnection(socket: net.Socket, answer: Answer, idleTimeoutMs: number): void {
  let buffered: Buffer = Buffer.alloc(0);
  let answered = false;

  // A client that disconnects early is routine; its error must not reach the host process.
  socket.on('error', () => socket.destroy());
  const idleTimer = setTimeout(
    () =>
      reply(
        encodeErrorReply({ code: 'ERR_REQUEST_TIMEOUT', message: `no complete request within ${idleTimeoutMs} ms` }),
      ),
    idleTimeoutMs,
  ).unref();
  socket.once('close', () => clearTimeout(idleTimer));

  socket.on('data', (chunk: Buffer) => {
    if (answered) return;
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const newline = buffered.indexOf(NEWLINE);
    if (newline > MAX_REQUEST_BYTES || (newline === -1 && buffered.length > MAX_REQUEST_BYTES)) {
      reply(
        encodeErrorReply({ code: 'ERR_REQUEST_TOO_LARGE', message: `request line exceeds ${MAX_REQUEST_BYTES} bytes` }),
      );
    } else if (newline !== -1) {
      handle(buffered.subarray(0, newline));
    } else if (buffered.equals(COMPAT_BYTES)) {
      // `hc` scripts send no newline and wait for the answer without closing their side.
      handle(buffered);
    }
  });
  // A client that half-closes after an unterminated request (`printf liveness | socat ...`).
  socket.on('end', () => {
    if (!answered) handle(buffered);
  });

  function handle(line: Buffer) {
    clearTimeout(idleTimer);
    answered = true;
    const parsed = parseRequest(line.toString('utf8'));
    if (!parsed.ok) return reply(encodeErrorReply(parsed.error));
    answer(parsed.request).then(reply, () =>
      reply(encodeErrorReply({ code: 'ERR_INTERNAL', message: 'the server failed to evaluate the probe' })),
    );
  }

  function reply(text: string) {
    answered = true;
    clearTimeout(idleTimer);
    if (socket.destroyed) return;
    socket.end(text, () => socket.destroy());
  }
}
