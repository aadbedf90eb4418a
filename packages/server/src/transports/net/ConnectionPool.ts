import net from 'node:net';

/** How long a refused client gets to read its refusal before the connection is dropped. */
const REFUSAL_GRACE_MS = 250;

/** Serves one admitted connection; it must end in a reply or a close, never an exception. */
export type ServeConnection = (socket: net.Socket) => void;

/**
 * The open connections of every network transport, under one cap. Servers made here never
 * keep the process alive, allow half-open connections (a client may send its request and
 * shut its side before reading the reply), and are cut at once by {@link closeAll}.
 */
export class ConnectionPool {
  readonly #maxConnections: number;
  readonly #connections = new Set<net.Socket>();
  #closing = false;

  constructor(maxConnections: number) {
    this.#maxConnections = maxConnections;
  }

  /**
   * A server whose connections count against the cap. An admitted connection goes to `serve`;
   * one over the cap is answered with `overloaded(max)` and closed.
   */
  createServer(serve: ServeConnection, overloaded: (maxConnections: number) => string): net.Server {
    return net.createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket, serve, overloaded)).unref();
  }

  /** Accepts connections again after {@link closeAll}. */
  open(): void {
    this.#closing = false;
  }

  /** Drops every open connection, and any that arrives until {@link open}. */
  closeAll(): void {
    this.#closing = true;
    for (const socket of this.#connections) socket.destroy();
  }

  #accept(socket: net.Socket, serve: ServeConnection, overloaded: (maxConnections: number) => string): void {
    // An open connection must not keep a finished worker alive either.
    socket.unref();
    if (this.#closing) {
      socket.destroy();
      return;
    }
    if (this.#connections.size >= this.#maxConnections) {
      refuse(socket, overloaded(this.#maxConnections));
      return;
    }
    this.#connections.add(socket);
    socket.once('close', () => this.#connections.delete(socket));
    serve(socket);
  }
}

/**
 * Sends a refusal and drops the connection. The request is read and dropped, so that the
 * client's write does not fail before it can read the refusal; the connection is cut soon
 * either way, so refusals cannot pile up.
 */
function refuse(socket: net.Socket, refusal: string): void {
  const timer = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.destroy());
  socket.resume();
  socket.end(refusal);
}
