import net from 'node:net';
import { HealthsockError } from './HealthsockError.js';
import { defaultSocketPath, type ProbeName } from './protocol/constants.js';
import type { ProbeRequest } from './protocol/parseRequest.js';
import { encodeCompatReply, encodeErrorReply, encodeProbeReply, type ProbeReport } from './protocol/reply.js';
import { resolveSocketAddress, type SocketAddress } from './protocol/resolveSocketAddress.js';
import { Registry, type EvaluateOptions, type Redact } from './registry/Registry.js';
import type { CheckOptions, HealthCheck } from './registry/types.js';
import { MAX_TIMER_MS } from './registry/withTimeout.js';
import { bindUnixSocket, type BoundSocket } from './transports/uds/bindUnixSocket.js';
import { serveConnection } from './transports/uds/serveConnection.js';

export interface HealthServerOptions {
  /**
   * Where to listen: a file path, or `@name` for a Linux abstract socket.
   * Default: `$HEALTHSOCK_SOCKET`, else `/tmp/healthsock.sock`.
   */
  socketPath?: string;
  /** The socket file's permission bits. Default `0o600`: only the worker's own user may probe. */
  socketMode?: number;
  /** How long a connection may take to send its request line, in ms. Default 2000. */
  idleTimeoutMs?: number;
  /** Open connections beyond this are answered `ERR_OVERLOADED` and closed at once. Default 100. */
  maxConnections?: number;
  /** Rewrites check messages before they leave the process, e.g. to mask secrets. */
  redact?: Redact;
  /** How long {@link HealthServer.shutdown} fails readiness before it closes the server, in ms. Default 0. */
  drainDelayMs?: number;
  /**
   * Opt-in: signals that start {@link HealthServer.shutdown}, e.g. `['SIGTERM']`. Listening for a
   * signal replaces Node's default of exiting, so pass `onShutdown` to stop the worker's own work.
   */
  shutdownSignals?: readonly NodeJS.Signals[];
  /** Called once a signal-started shutdown has drained and closed; the process is yours again. */
  onShutdown?: (signal: NodeJS.Signals) => unknown;
}

export interface HealthServer {
  /** The socket path as given, `@name` for an abstract socket. */
  readonly socketPath: string;
  /** Registers a check. By default it belongs to the startup and readiness probes. */
  addCheck(name: string, check: HealthCheck, options?: CheckOptions): HealthServer;
  /** Evaluates a probe in-process, exactly as a client on the socket would see it. */
  probe(probe: ProbeName, options?: EvaluateOptions): Promise<ProbeReport>;
  /** Starts answering on the socket. It never keeps the process alive by itself. */
  listen(): Promise<void>;
  /**
   * Starts draining: readiness fails at once with `shutting down` while liveness keeps passing,
   * and after `drainDelayMs` the server closes. Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
  /** Stops answering, drops open connections, and removes the socket file if it is still this server's. */
  close(): Promise<void>;
}

/** Time the client needs after the server replies: the reply's trip and the CLI's output. */
const REPLY_MARGIN_MS = 50;

/**
 * Creates a health server. Options are validated here, before any I/O; `listen()` starts it.
 */
export function createHealthServer(options: HealthServerOptions = {}): HealthServer {
  const address = validateAddress(options.socketPath ?? defaultSocketPath(process.env));
  const socketMode = validateInteger('socketMode', options.socketMode ?? 0o600, 0, 0o777);
  const idleTimeoutMs = validateInteger('idleTimeoutMs', options.idleTimeoutMs ?? 2000, 1, MAX_TIMER_MS);
  const maxConnections = validateInteger('maxConnections', options.maxConnections ?? 100, 1, 1_000_000);
  const drainDelayMs = validateInteger('drainDelayMs', options.drainDelayMs ?? 0, 0, MAX_TIMER_MS);
  const signals = validateSignals(options.shutdownSignals ?? []);
  const { onShutdown } = options;
  if (options.redact !== undefined && typeof options.redact !== 'function') {
    throw new HealthsockError('ERR_INVALID_OPTION', `redact must be a function, got ${typeof options.redact}`);
  }

  const registry = new Registry(options.redact ? { redact: options.redact } : {});
  const connections = new Set<net.Socket>();
  let bound: BoundSocket | undefined;
  let pending: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  let closing = false;

  const answer = async (request: ProbeRequest): Promise<string> => {
    const margin = request.timeoutMs === undefined ? 0 : Math.min(REPLY_MARGIN_MS, request.timeoutMs / 4);
    const evaluateOptions = request.timeoutMs === undefined ? {} : { budgetMs: request.timeoutMs - margin };
    const report = await registry.evaluate(request.probe, evaluateOptions);
    return request.format === 'byte' ? encodeCompatReply(report) : encodeProbeReply(report);
  };

  const accept = (socket: net.Socket) => {
    // An open connection must not keep a finished worker alive either.
    socket.unref();
    if (closing) {
      socket.destroy();
      return;
    }
    if (connections.size >= maxConnections) {
      refuse(socket, maxConnections);
      return;
    }
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(socket, answer, idleTimeoutMs);
  };

  const createServer = () => net.createServer({ allowHalfOpen: true }, accept).unref();

  const onSignal = (signal: NodeJS.Signals) => {
    // Nobody awaits a signal handler, so a failure here must not become an unhandled rejection.
    server
      .shutdown()
      .then(() => onShutdown?.(signal))
      .catch((error: unknown) => process.emitWarning(`healthsock: shutdown on ${signal} failed: ${String(error)}`));
  };

  const server: HealthServer = {
    socketPath: address.display,
    addCheck(name, check, checkOptions) {
      registry.add(name, check, checkOptions);
      return server;
    },
    probe: (probe, evaluateOptions) => registry.evaluate(probe, evaluateOptions),
    listen() {
      if (bound || pending) {
        return Promise.reject(
          new HealthsockError('ERR_ALREADY_LISTENING', `health server is already listening on ${address.display}`),
        );
      }
      closing = false;
      pending = bindUnixSocket(createServer, address, socketMode)
        .then((result) => {
          bound = result;
          for (const signal of signals) process.once(signal, onSignal);
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    shutdown() {
      registry.beginShutdown();
      draining ??= delay(drainDelayMs).then(() => server.close());
      return draining;
    },
    async close() {
      await pending?.catch(() => undefined);
      for (const signal of signals) process.off(signal, onSignal);
      const current = bound;
      bound = undefined;
      if (!current) return;
      closing = true;
      for (const socket of connections) socket.destroy();
      await current.unbind();
    },
  };
  return server;
}

/** How long a refused client gets to read its refusal before the connection is dropped. */
const REFUSAL_GRACE_MS = 250;

/**
 * Answers a connection over the cap with ERR_OVERLOADED. The request is read and dropped, so
 * that the client's write does not fail before it can read the reply; the connection is cut
 * soon either way, so refusals cannot pile up.
 */
function refuse(socket: net.Socket, maxConnections: number): void {
  const timer = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.destroy());
  socket.resume();
  socket.end(encodeErrorReply({ code: 'ERR_OVERLOADED', message: `more than ${maxConnections} open connections` }));
}

function delay(ms: number): Promise<void> {
  if (ms === 0) return Promise.resolve();
  // The drain waits for kubelet and the endpoints to notice; it must not hold the process open.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function validateAddress(socketPath: unknown): SocketAddress {
  if (typeof socketPath !== 'string') {
    throw new HealthsockError('ERR_INVALID_OPTION', `socketPath must be a string, got ${typeof socketPath}`);
  }
  const resolved = resolveSocketAddress(socketPath);
  if (!resolved.ok) {
    throw new HealthsockError(resolved.tooLong ? 'ERR_SOCKET_PATH_TOO_LONG' : 'ERR_INVALID_OPTION', resolved.reason);
  }
  return resolved.address;
}

function validateInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `${name} is ${String(value)}; it must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function validateSignals(signals: readonly unknown[]): readonly NodeJS.Signals[] {
  if (
    !Array.isArray(signals) ||
    !signals.every((signal) => typeof signal === 'string' && /^SIG[A-Z0-9]+$/.test(signal))
  ) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `shutdownSignals must be a list of signal names, got ${JSON.stringify(signals)}`,
    );
  }
  return signals as readonly NodeJS.Signals[];
}
