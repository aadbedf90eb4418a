import http2, { type Http2Session, type ServerHttp2Session } from 'node:http2';
import type { Connection, Goodbye } from '../net/ConnectionPool.js';
import { createPortServer, type PortServer } from '../net/createPortServer.js';
import { isLoopback } from '../net/isLoopback.js';
import type { TransportContext } from '../TransportContext.js';
import type { GrpcHealth } from './createGrpcHealth.js';
import { serveGrpcStream } from './serveGrpcStream.js';

export interface GrpcTransportOptions {
  port: number;
  host: string | undefined;
  /** Show check messages to every client, not only to loopback ones. */
  details: boolean;
}

export type GrpcTransport = PortServer;

/** What every HTTP/2 connection begins with (RFC 9113, section 3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

/**
 * `grpc.health.v1.Health` over plaintext HTTP/2 (h2c) on a TCP port of its own, for kubelet's
 * `grpc` probe. Connections come through the shared pool, under the same cap and eviction as
 * HTTP; each is handed to an HTTP/2 session once its first bytes show it speaks HTTP/2. Other
 * bytes (an HTTP/1.1 client, curl without --http2-prior-knowledge) get an HTTP/1.1 answer that
 * says so, with a gRPC status in its headers.
 */
export function createGrpcTransport(options: GrpcTransportOptions, context: TransportContext): GrpcTransport {
  const { port, host, details } = options;
  const { pool, idleTimeoutMs } = context;
  /** The service the streams are answered by, from the first start on. */
  let health: GrpcHealth | undefined;
  const sessions = new Set<Http2Session>();
  // Never listens itself: the pool's server accepts and hands each connection over.
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 100 } });

  const serveSession = (connection: Connection) => {
    let session: ServerHttp2Session | undefined;
    const onSession = (created: ServerHttp2Session) => (session = created);
    h2.once('session', onSession);
    h2.emit('connection', connection.socket);
    h2.off('session', onSession);
    if (!session) {
      connection.socket.destroy();
      return;
    }
    const current = session;
    sessions.add(current);
    current.on('error', () => current.destroy());
    // A connection evicted or idle before its first call gets a GOAWAY that says why.
    connection.goodbyeWith((goodbye) => {
      if (!current.destroyed) {
        current.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from(describeGoodbye(goodbye)));
        current.destroy();
      }
      return '';
    });
    const clientDetails = details || isLoopback(connection.socket.remoteAddress);
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    // A client that keeps its connection without a call (grpc-js channels do) gets a GOAWAY after the idle
    // timeout, as the pool does for one that never sends a request.
    const waitIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => current.close(), idleTimeoutMs).unref();
    };
    current.on('stream', (stream, headers) => {
      // Streams come only once `start` has the service; were one earlier, its client may retry.
      if (!health) return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      open++;
      clearTimeout(idle);
      stream.once('close', () => {
        if (--open === 0 && !current.closed) waitIdle();
      });
      serveGrpcStream(stream, headers, {
        health,
        details: clientDetails,
        idleTimeoutMs,
        requestReceived: connection.requestReceived,
      });
    });
    current.once('close', () => {
      clearTimeout(idle);
      sessions.delete(current);
    });
  };

  const serve = (connection: Connection) => {
    const { socket } = connection;
    let seen = Buffer.alloc(0);
    // The first bytes decide: HTTP/2's preface, or anything else.
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const length = Math.min(seen.length, PREFACE.length);
      if (seen.subarray(0, length).equals(PREFACE.subarray(0, length))) {
        if (seen.length < PREFACE.length) return;
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.pause();
        // The session reads what is already buffered when it takes the socket over.
        socket.unshift(seen);
        serveSession(connection);
        return;
      }
      socket.off('data', onData);
      socket.off('end', onEnd);
      connection.requestReceived();
      socket.end(notHttp2());
    };
    // A client that stops sending before its first bytes decide anything has nothing to be told.
    const onEnd = () => socket.destroy();
    socket.on('data', onData);
    socket.once('end', onEnd);
  };

  const server = createPortServer(() => pool.createServer({ serve, goodbye: http2Goodbye }), {
    port,
    host,
    name: 'gRPC port',
  });
  return {
    ...server,
    async start() {
      health = await context.grpcHealth();
      await server.start();
    },
    async stop() {
      for (const session of sessions) session.destroy();
      await server.stop();
    },
  };
}

function describeGoodbye(goodbye: Goodbye): string {
  switch (goodbye.reason) {
    case 'idle':
      return `healthsock: no complete gRPC call within ${goodbye.idleTimeoutMs} ms`;
    case 'evicted':
      return `healthsock: closed to make room: ${goodbye.maxConnections} connections are open, and this one sent no call`;
    case 'overloaded':
      return `healthsock: overloaded: ${goodbye.maxConnections} connections are open`;
  }
}

/**
 * The bytes for a connection that has no HTTP/2 session yet (refused at the cap, or idle before
 * its preface): an empty SETTINGS frame, the server's preface, then a GOAWAY frame with
 * ENHANCE_YOUR_CALM and the reason. Every byte is ASCII, as the pool writes a string.
 */
function http2Goodbye(goodbye: Goodbye): string {
  const reason = describeGoodbye(goodbye).slice(0, 100);
  const settings = frameHeader(0, 0x4);
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(0, 0);
  payload.writeUInt32BE(NGHTTP2_ENHANCE_YOUR_CALM, 4);
  const goaway = Buffer.concat([frameHeader(8 + reason.length, 0x7), payload, Buffer.from(reason, 'latin1')]);
  return Buffer.concat([settings, goaway]).toString('latin1');
}

function frameHeader(length: number, type: number): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(length, 0, 3);
  header.writeUInt8(type, 3);
  return header;
}

/** The answer to a client that does not speak HTTP/2: it reads why, and a gRPC status if it looks for one. */
function notHttp2(): string {
  const body =
    'healthsock: this port serves gRPC health checks (grpc.health.v1.Health) over HTTP/2 without TLS (h2c); ' +
    'use a gRPC client, e.g. healthsock grpc://host:port/readiness\n';
  return [
    'HTTP/1.1 505 HTTP Version Not Supported',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `grpc-status: 12`,
    'grpc-message: this port speaks gRPC over HTTP/2 (h2c) only',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
