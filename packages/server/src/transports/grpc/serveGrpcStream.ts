import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import {
  decodeHealthCheckRequest,
  encodeGrpcMessage,
  encodeHealthCheckResponse,
  encodeHealthListResponse,
  frameGrpcMessage,
  GRPC_HEALTH_PATHS,
  GRPC_STATUS,
  GrpcMessageReader,
  MAX_GRPC_REQUEST_BYTES,
  type GrpcFrameError,
} from '../../wire/grpcHealthWire.js';
import type { GrpcHealth, GrpcOutcome } from './createGrpcHealth.js';
import { parseGrpcTimeout } from './parseGrpcTimeout.js';

export interface GrpcStreamContext {
  health: GrpcHealth;
  /** Whether check messages may be shown to this client. */
  details: boolean;
  /** How long the request message may take to arrive, in ms. */
  idleTimeoutMs: number;
  /** The whole request has arrived: the connection is a real client's. */
  requestReceived(): void;
}

const { NGHTTP2_NO_ERROR } = http2.constants;

/**
 * Serves one call of `grpc.health.v1.Health` on an HTTP/2 stream. Whatever arrives, the stream
 * ends with a gRPC status: a request that is not gRPC, an unknown method, a compressed, oversized,
 * malformed or missing message, or one that does not arrive in time.
 */
export function serveGrpcStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  context: GrpcStreamContext,
): void {
  // A client that resets its stream is routine; its error must not reach the host process.
  stream.on('error', () => undefined);
  const path = headers[':path'] ?? '';
  if (headers[':method'] !== 'POST') {
    return refuse(stream, 405, {
      code: GRPC_STATUS.INTERNAL,
      message: `gRPC calls are POST requests, not ${String(headers[':method']).slice(0, 20)}`,
    });
  }
  const contentType = headers['content-type'] ?? '';
  if (!/^application\/grpc(?:[+;]|$)/.test(contentType)) {
    return refuse(stream, 415, {
      code: GRPC_STATUS.INVALID_ARGUMENT,
      message: `content-type ${JSON.stringify(contentType.slice(0, 60))} is not application/grpc`,
    });
  }
  const encoding = headers['grpc-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    return answer(stream, {
      code: GRPC_STATUS.UNIMPLEMENTED,
      message: `grpc-encoding ${JSON.stringify(String(encoding).slice(0, 40))} is not supported; send messages uncompressed`,
    });
  }
  const method = Object.entries(GRPC_HEALTH_PATHS).find(([, known]) => known === path)?.[0];
  if (method === undefined) {
    return answer(stream, {
      code: GRPC_STATUS.UNIMPLEMENTED,
      message: `unknown method ${JSON.stringify(path.slice(0, 100))}; this server implements grpc.health.v1.Health (Check, Watch, List)`,
    });
  }
  const timeout = parseGrpcTimeout(headers['grpc-timeout']);
  if (timeout === null) {
    return answer(stream, {
      code: GRPC_STATUS.INTERNAL,
      message: `grpc-timeout ${JSON.stringify(String(headers['grpc-timeout']).slice(0, 20))} is not a timeout such as 800m or 1S`,
    });
  }

  readRequest(stream, context.idleTimeoutMs, (request) => {
    if ('code' in request) return answer(stream, request);
    context.requestReceived();
    let service = '';
    if (method !== 'list') {
      try {
        service = decodeHealthCheckRequest(request.message ?? Buffer.alloc(0)).service;
      } catch (error) {
        return answer(stream, {
          code: GRPC_STATUS.INTERNAL,
          message: `the request is not a HealthCheckRequest: ${(error as Error).message}`,
        });
      }
    }
    const call = { timeoutMs: timeout, details: context.details };
    if (method === 'check') {
      void context.health
        .check(service, call)
        .then((outcome) =>
          answer(stream, outcome, outcome.status === undefined ? undefined : encodeHealthCheckResponse(outcome.status)),
        );
    } else if (method === 'list') {
      void context.health
        .list(call)
        .then((outcome) => answer(stream, outcome, outcome.statuses && encodeHealthListResponse(outcome.statuses)));
    } else watch(stream, service, context);
  });
}

/** A Watch: the headers now, a message per change, and the trailers only when the server closes. */
function watch(stream: ServerHttp2Stream, service: string, context: GrpcStreamContext): void {
  if (stream.destroyed) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  const stopWatching = context.health.watch(
    service,
    (status) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(frameGrpcMessage(encodeHealthCheckResponse(status)));
    },
    () => {
      if (stream.destroyed || stream.writableEnded) return;
      stream.once('wantTrailers', () =>
        stream.sendTrailers(trailers({ code: GRPC_STATUS.UNAVAILABLE, message: 'the health server is closing' })),
      );
      stream.end();
    },
  );
  stream.once('close', stopWatching);
}

/**
 * Reads the one request message and the end of the request (for Watch, the message alone: its
 * client keeps the stream open). `done` gets the message (none for an empty request) or a status.
 */
function readRequest(
  stream: ServerHttp2Stream,
  idleTimeoutMs: number,
  done: (request: { message: Buffer | undefined } | GrpcOutcome) => void,
): void {
  const reader = new GrpcMessageReader(MAX_GRPC_REQUEST_BYTES);
  let message: Buffer | undefined;
  let finished = false;
  const finish = (request: { message: Buffer | undefined } | GrpcOutcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    stream.off('data', onData);
    // Whatever else the client sends is read and dropped, so its flow-control window stays open.
    stream.resume();
    done(request);
  };
  const timer = setTimeout(
    () =>
      finish({
        code: GRPC_STATUS.DEADLINE_EXCEEDED,
        message: `the request message did not arrive within ${idleTimeoutMs} ms`,
      }),
    idleTimeoutMs,
  ).unref();
  const onData = (chunk: Buffer) => {
    const read: Buffer[] | GrpcFrameError = reader.push(chunk);
    if (!Array.isArray(read)) return finish(read);
    for (const next of read) {
      if (message !== undefined)
        return finish({ code: GRPC_STATUS.INTERNAL, message: 'a unary call carries one request message, not more' });
      message = next;
    }
    // Health requests are unary: one message is the whole request, whether or not the client has half-closed yet.
    if (message !== undefined && !reader.partial) finish({ message });
  };
  stream.on('data', onData);
  stream.once('end', () => {
    if (reader.partial) finish({ code: GRPC_STATUS.INTERNAL, message: 'the request ended in the middle of a message' });
    else finish({ message });
  });
  stream.once('close', () => {
    finished = true;
    clearTimeout(timer);
  });
}

/** Ends a call with a status, after its one response message if it has one. */
function answer(stream: ServerHttp2Stream, outcome: GrpcOutcome, message?: Buffer): void {
  if (stream.destroyed || stream.headersSent) return;
  if (message === undefined || outcome.code !== GRPC_STATUS.OK) {
    // Trailers-only: the status travels in the headers.
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...trailers(outcome) }, { endStream: true });
  } else {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers(trailers(outcome)));
    stream.end(frameGrpcMessage(message));
  }
  closeRequestSide(stream);
}

/** Answers a request that is not a gRPC call at all, with an HTTP status its client can read. */
function refuse(stream: ServerHttp2Stream, httpStatus: number, outcome: GrpcOutcome): void {
  stream.respond(
    { ':status': httpStatus, 'content-type': 'application/grpc', ...trailers(outcome) },
    { endStream: true },
  );
  closeRequestSide(stream);
}

/** A client still sending once the answer is out gets its stream reset with NO_ERROR, as gRPC servers do. */
function closeRequestSide(stream: ServerHttp2Stream): void {
  if (stream.readableEnded) return;
  stream.resume();
  stream.once('finish', () => {
    if (!stream.destroyed && !stream.readableEnded) stream.close(NGHTTP2_NO_ERROR);
  });
}

function trailers({ code, message }: GrpcOutcome): Record<string, string> {
  return message === ''
    ? { 'grpc-status': String(code) }
    : { 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) };
}
