import type { ProbeRequest } from '../../wire/parseRequest.js';
import { COMPAT_REQUEST, MAX_REQUEST_BYTES } from '../../wire/constants.js';
import { parseRequest } from '../../wire/parseRequest.js';
import { encodeErrorReply } from '../../wire/reply.js';
import type { Connection } from '../net/ConnectionPool.js';

/** Turns a parsed request into the bytes to send back. It must not reject. */
export type Answer = (request: ProbeRequest) => Promise<string>;

/** Takes over a connection whose first line is an HTTP request line; `received` is what was read. */
export type HandOver = (connection: Connection, received: Buffer) => void;

const NEWLINE = 0x0a;
const NOTHING = Buffer.alloc(0);
const COMPAT_BYTES = Buffer.from(COMPAT_REQUEST);
/** `GET /readyz?verbose HTTP/1.1`: what curl, wget and every HTTP client send first. */
const HTTP_REQUEST_LINE = /^[A-Z]{1,20} [^\s]+ HTTP\/1\.[01]\r?$/;
/** The start of such a line, enough to tell an over-long HTTP request line from a line-protocol one. */
const HTTP_REQUEST_START = /^[A-Z]{1,20} \//;

/**
 * Serves one connection of the line protocol: read one request line, write one reply, close.
 * Whatever the client sends or does, the outcome is a reply or a close, never an exception in
 * the host. With `handOver`, a connection that opens with an HTTP request line goes there.
 */
export function serveConnection(connection: Connection, answer: Answer, handOver?: HandOver): void {
  const { socket } = connection;
  let buffered: Buffer = NOTHING;
  let answered = false;

  const onData = (chunk: Buffer) => {
    // The pool may have said goodbye already (idle, or closed to make room).
    if (answered || socket.writableEnded) return;
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const newline = buffered.indexOf(NEWLINE);
    const tooLong = newline > MAX_REQUEST_BYTES || (newline === -1 && buffered.length > MAX_REQUEST_BYTES);
    if (tooLong && handOver && HTTP_REQUEST_START.test(buffered.subarray(0, 32).toString('latin1'))) {
      // HTTP on the socket has the port's limits (an 8 KiB head), not the line protocol's 4 KiB:
      // the HTTP code reads the rest and judges it, with an HTTP response either way.
      takeOver();
    } else if (tooLong) {
      reply(
        encodeErrorReply({ code: 'ERR_REQUEST_TOO_LARGE', message: `request line exceeds ${MAX_REQUEST_BYTES} bytes` }),
      );
    } else if (newline !== -1) {
      const line = buffered.subarray(0, newline);
      if (handOver && HTTP_REQUEST_LINE.test(line.toString('latin1'))) takeOver();
      else handle(line);
    } else if (buffered.equals(COMPAT_BYTES)) {
      // `hc` scripts send no newline and wait for the answer without closing their side.
      handle(buffered);
    }
  };
  // A client that half-closes after an unterminated request (`printf liveness | socat ...`).
  const onEnd = () => {
    if (!answered && !socket.writableEnded) handle(buffered);
  };
  socket.on('data', onData);
  socket.on('end', onEnd);

  function takeOver() {
    answered = true;
    socket.off('data', onData);
    socket.off('end', onEnd);
    handOver?.(connection, buffered);
  }

  function handle(line: Buffer) {
    answered = true;
    connection.requestReceived();
    const parsed = parseRequest(line.toString('utf8'));
    if (!parsed.ok) return reply(encodeErrorReply(parsed.error));
    answer(parsed.request).then(reply, () =>
      reply(encodeErrorReply({ code: 'ERR_INTERNAL', message: 'the server failed to evaluate the probe' })),
    );
  }

  function reply(text: string) {
    answered = true;
    connection.requestReceived();
    if (socket.destroyed || socket.writableEnded) return;
    socket.end(text, () => socket.destroy());
  }
}
