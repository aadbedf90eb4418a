import type { Connection, Goodbye } from '../net/ConnectionPool.js';
import type { HttpRequestHead, HttpResponder } from './createHttpResponder.js';
import { httpResponse, type HttpResponse } from './HttpResponse.js';

/** The longest request head read: request line and headers (Node's own limit is 16 KiB). */
export const MAX_HEAD_BYTES = 8192;
/** More headers than this is not a probe. */
const MAX_HEADERS = 100;
const REQUEST_LINE = /^([A-Z]{1,20}) ([^\s]+) HTTP\/1\.[01]$/;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Serves one HTTP/1.x connection: one request, one response with `Connection: close`, then the
 * close. Only the head is read; a body, a pipelined request or a wish for keep-alive is ignored.
 * `received` is what another protocol already read from the socket (the sniffed request line).
 */
export function serveHttpConnection(
  connection: Connection,
  respond: HttpResponder,
  details: boolean,
  received: Buffer = Buffer.alloc(0),
): void {
  const { socket } = connection;
  connection.goodbyeWith(httpGoodbye);
  let buffered = received;
  let done = false;

  const onData = (chunk: Buffer) => {
    if (done || socket.writableEnded) return;
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    examine(false);
  };
  socket.on('data', onData);
  // A client that shuts its side before the head ends has sent all it will.
  socket.on('end', () => {
    if (!done && !socket.writableEnded) examine(true);
  });
  if (buffered.length > 0) examine(false);

  function examine(ended: boolean) {
    const end = headEnd(buffered);
    if (end === -1) {
      if (buffered.length > MAX_HEAD_BYTES) finish(httpResponse(431, `request head exceeds ${MAX_HEAD_BYTES} bytes\n`));
      else if (ended) finish(httpResponse(400, 'incomplete request head\n'));
      else if (firstLineInvalid(buffered)) finish(httpResponse(400, 'not an HTTP/1.x request\n'));
      return;
    }
    if (end > MAX_HEAD_BYTES) return finish(httpResponse(431, `request head exceeds ${MAX_HEAD_BYTES} bytes\n`));
    done = true;
    connection.requestReceived();
    const parsed = parseHead(buffered.subarray(0, end).toString('latin1'), details);
    if ('status' in parsed) return finish(parsed);
    const pending = respond(parsed);
    if (!pending) return finish(notFound(parsed.target), parsed.method);
    pending.then(
      (response) => finish(response, parsed.method),
      () => finish(httpResponse(500, 'the server failed to evaluate the probe\n'), parsed.method),
    );
  }

  function finish(response: HttpResponse, method = 'GET') {
    done = true;
    connection.requestReceived();
    if (socket.destroyed || socket.writableEnded) return;
    // The rest of the request (a body, a pipelined request) is read and dropped.
    socket.off('data', onData);
    socket.resume();
    socket.end(encodeHttpResponse(response, method === 'HEAD'), () => socket.destroy());
  }
}

/** What the pool sends a connection it closes before the request is complete. */
export function httpGoodbye(goodbye: Goodbye): string {
  const response =
    goodbye.reason === 'idle'
      ? httpResponse(408, `no complete request within ${goodbye.idleTimeoutMs} ms\n`)
      : httpResponse(
          503,
          goodbye.reason === 'evicted'
            ? `closed to make room: ${goodbye.maxConnections} connections were open and this one had sent no complete request\n`
            : `more than ${goodbye.maxConnections} open connections\n`,
        );
  return encodeHttpResponse(response, false);
}

/** The raw bytes of a response; every response closes its connection. */
export function encodeHttpResponse(response: HttpResponse, head: boolean): string {
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? 'Unknown'}`];
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(response.body)}`, 'Connection: close', '', '');
  return lines.join('\r\n') + (head ? '' : response.body);
}

function notFound(target: string): HttpResponse {
  const path = target.split('?')[0] ?? '';
  return httpResponse(404, `no health endpoint at ${path.slice(0, 100)}\n`);
}

/** Where the head ends (after its blank line), or -1. Bare `\n` line ends are tolerated. */
function headEnd(buffer: Buffer): number {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf === -1) return lf === -1 ? -1 : lf + 2;
  return lf === -1 || crlf < lf ? crlf + 4 : lf + 2;
}

function firstLineInvalid(buffer: Buffer): boolean {
  const newline = buffer.indexOf('\n');
  if (newline === -1) return false;
  return !REQUEST_LINE.test(buffer.subarray(0, newline).toString('latin1').replace(/\r$/, ''));
}

function parseHead(text: string, details: boolean): HttpRequestHead | HttpResponse {
  const lines = text.split(/\r?\n/);
  const match = REQUEST_LINE.exec(lines[0] ?? '');
  if (!match) return httpResponse(400, 'not an HTTP/1.x request\n');
  const headers = new Map<string, string>();
  const fields = lines.slice(1).filter((line) => line !== '');
  if (fields.length > MAX_HEADERS) return httpResponse(431, `more than ${MAX_HEADERS} headers\n`);
  for (const line of fields) {
    const colon = line.indexOf(':');
    if (colon <= 0) return httpResponse(400, 'malformed header line\n');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return {
    method: match[1] as string,
    target: match[2] as string,
    header: (name) => headers.get(name),
    details,
  };
}
