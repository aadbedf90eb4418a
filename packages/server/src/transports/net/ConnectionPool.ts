import type net from 'node:net';
import { nowMs } from '../../shared/nowMs.js';

/** How long a refused client gets to read its refusal before the connection is dropped. */
const REFUSAL_GRACE_MS = 250;

/**
 * How young a connection without a complete request may be and still not be closed to make room.
 * A real probe sends its request within a millisecond of connecting, so a connection silent for
 * longer than this is no probe on its way. The floor is there for a burst of real probes: the
 * server accepts many connections in one turn of its event loop before it reads any of them, and
 * those must not push one another out before their requests are read.
 */
export const EVICTABLE_AFTER_MS = 5;

/** Why the pool closes a connection before its protocol has answered it. */
export type Goodbye =
  | { reason: 'idle'; idleTimeoutMs: number }
  | { reason: 'evicted'; maxConnections: number }
  | { reason: 'overloaded'; maxConnections: number };

/** One admitted connection. */
export interface Connection {
  readonly socket: net.Socket;
  /**
   * A complete request has arrived: the idle timer stops, and the pool no longer closes this
   * connection to make room for another.
   */
  requestReceived(): void;
  /** Changes how the pool says goodbye, when another protocol takes the connection over. */
  goodbyeWith(goodbye: ConnectionHandler['goodbye']): void;
}

/** A protocol served over pooled connections. */
export interface ConnectionHandler {
  /** Serves one admitted connection; it must end in a reply or a close, never an exception. */
  serve(connection: Connection): void;
  /** The bytes that tell a client why the pool closes its connection. */
  goodbye(goodbye: Goodbye): string;
}

export interface ConnectionPoolOptions {
  maxConnections: number;
  /** How long a connection may take to send a complete request, in ms. */
  idleTimeoutMs: number;
}

interface Waiting {
  /** Who says goodbye: the handler that admitted it, or the protocol that took it over. */
  goodbyeFrom: Pick<ConnectionHandler, 'goodbye'>;
  /** When it was admitted, on the `nowMs()` clock. */
  since: number;
}

/**
 * The open connections of every network transport, under one cap. The cap protects the
 * worker's file descriptors and memory from a client that opens connections and holds them;
 * it need not protect the CPU, since concurrent probes share each check's run.
 *
 * So at the cap a newcomer is not refused while some connection has sent no complete request and
 * is at least {@link EVICTABLE_AFTER_MS} old: the oldest such connection is closed to make room,
 * however young, so a client that re-opens its silent connections before they age cannot keep
 * a real probe out. The newcomer is the youngest, so it is the last to be pushed out: a flood
 * must open a cap's worth of connections between its connect and its request to do that. Only
 * when every open connection is waiting for its answer, or all are younger than the floor, is the
 * newcomer refused.
 *
 * Servers made here never keep the process alive, allow half-open connections (a client may
 * send its request and shut its side before reading the reply), and are cut by {@link closeAll}.
 */
export class ConnectionPool {
  readonly #maxConnections: number;
  readonly #idleTimeoutMs: number;
  readonly #open = new Set<net.Socket>();
  /** The connections without a complete request yet, oldest first (a Map keeps insertion order). */
  readonly #waiting = new Map<net.Socket, Waiting>();
  /**
   * One timer for every waiting connection's idle limit, due when the oldest reaches it. The limit
   * is the same for all, so the oldest is always the next due; a timer per connection would be
   * made and cleared on every probe. It is cleared when no connection waits.
   */
  #idleTimer: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: ConnectionPoolOptions) {
    this.#maxConnections = options.maxConnections;
    this.#idleTimeoutMs = options.idleTimeoutMs;
  }

  /**
   * A server whose connections count against the cap and are served by `handler`. `node:net`
   * is loaded here, when the first transport starts, rather than with the package: it is the
   * largest part of what importing the package would otherwise load, and a worker that never
   * listens never needs it.
   */
  async createServer(handler: ConnectionHandler): Promise<net.Server> {
    const { createServer } = await import('node:net');
    return createServer({ allowHalfOpen: true }, (socket) => this.admit(socket, handler)).unref();
  }

  /** Serves a connection that was accepted elsewhere, under the same cap and idle limit. */
  admit(socket: net.Socket, handler: ConnectionHandler): void {
    // An open connection must not keep a finished worker alive either.
    socket.unref();
    // A client that disconnects early is routine; its error must not reach the host process.
    socket.on('error', destroySocket);
    if (this.#closing) {
      socket.destroy();
      return;
    }
    if (this.#open.size >= this.#maxConnections && !this.#evictOldestWaiting()) {
      refuse(socket, handler.goodbye({ reason: 'overloaded', maxConnections: this.#maxConnections }));
      return;
    }
    this.#open.add(socket);
    const waiting: Waiting = { goodbyeFrom: handler, since: nowMs() };
    this.#waiting.set(socket, waiting);
    if (!this.#idleTimer) this.#idleTimer = this.#closeIdleIn(this.#idleTimeoutMs);
    // `on` rather than `once` for events that come once anyway: `once` wraps every listener.
    socket.on('close', () => {
      this.#open.delete(socket);
      this.#stopWaiting(socket);
    });
    // A connection whose reply is written has done its work: its slot is free at once, before
    // the close completes at the end of the event loop's turn, when its client may already be back.
    socket.on('finish', () => this.#open.delete(socket));
    handler.serve({
      socket,
      requestReceived: () => this.#stopWaiting(socket),
      goodbyeWith: (goodbye) => (waiting.goodbyeFrom = { goodbye }),
    });
  }

  /** Accepts connections again after {@link closeAll}. */
  open(): void {
    this.#closing = false;
  }

  /** Drops every open connection, and any that arrives until {@link open}. */
  closeAll(): void {
    this.#closing = true;
    for (const socket of this.#open) socket.destroy();
  }

  #evictOldestWaiting(): boolean {
    const oldest = this.#waiting.entries().next();
    if (oldest.done || nowMs() - oldest.value[1].since < EVICTABLE_AFTER_MS) return false;
    const [socket, { goodbyeFrom }] = oldest.value;
    this.#stopWaiting(socket);
    // It leaves the count now, even though its goodbye may take a moment to flush.
    this.#open.delete(socket);
    this.#close(socket, goodbyeFrom.goodbye({ reason: 'evicted', maxConnections: this.#maxConnections }));
    return true;
  }

  #stopWaiting(socket: net.Socket): void {
    // An idle server holds no timer.
    if (this.#waiting.delete(socket) && this.#waiting.size === 0 && this.#idleTimer) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }

  /** Closes, in `ms`, the connections that have waited their idle limit by then, and goes on for the rest. */
  #closeIdleIn(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.#idleTimer = undefined;
      const now = nowMs();
      for (const [socket, waiting] of this.#waiting) {
        const dueInMs = waiting.since + this.#idleTimeoutMs - now;
        if (dueInMs > 0) {
          this.#idleTimer = this.#closeIdleIn(Math.ceil(dueInMs));
          return;
        }
        this.#close(socket, waiting.goodbyeFrom.goodbye({ reason: 'idle', idleTimeoutMs: this.#idleTimeoutMs }));
      }
    }, ms).unref();
  }

  #close(socket: net.Socket, goodbye: string): void {
    this.#stopWaiting(socket);
    if (socket.destroyed || socket.writableEnded) return;
    socket.end(goodbye, () => socket.destroy());
    // A client that reads nothing must not hold the connection open with a full buffer.
    setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  }
}

/** An `error` listener: shared, rather than a closure per connection. */
function destroySocket(this: net.Socket): void {
  this.destroy();
}

/**
 * Sends a refusal and drops the connection. The request is read and dropped, so that the
 * client's write does not fail before it can read the refusal; the connection is cut soon
 * either way, so refusals cannot pile up.
 */
function refuse(socket: net.Socket, refusal: string): void {
  const timer = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('end', () => socket.destroy());
  socket.resume();
  socket.end(refusal);
}
