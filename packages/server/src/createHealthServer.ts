import net from 'node:net';
import { HealthsockError } from './HealthsockError.js';
import type { ProbeName } from './protocol/constants.js';
import type { ProbeRequest } from './protocol/parseRequest.js';
import { encodeCompatReply, encodeProbeReply, type ProbeReport } from './protocol/reply.js';
import { resolveSocketAddress, type SocketAddress } from './protocol/resolveSocketAddress.js';
import { Registry, type EvaluateOptions } from './registry/Registry.js';
import type { CheckOptions, HealthCheck } from './registry/types.js';
import { bindUnixSocket, type BoundSocket } from './transports/uds/bindUnixSocket.js';
import { serveConnection } from './transports/uds/serveConnection.js';

export const DEFAULT_SOCKET_PATH = '/tmp/healthsock.sock';

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
  /** Stops answering, drops open connections, and removes the socket file if it is still this server's. */
  close(): Promise<void>;
}

/** Time the client needs after the server replies: the reply's trip and the CLI's output. */
const REPLY_MARGIN_MS = 50;

/**
 * Creates a health server. Options are validated here, before any I/O; `listen()` starts it.
 */
export function createHealthServer(options: HealthServerOptions = {}): HealthServer {
  const address = validateAddress(options.socketPath ?? process.env.HEALTHSOCK_SOCKET ?? DEFAULT_SOCKET_PATH);
  const socketMode = validateInteger('socketMode', options.socketMode ?? 0o600, 0, 0o777);
  const idleTimeoutMs = validateInteger('idleTimeoutMs', options.idleTimeoutMs ?? 2000, 1, 2 ** 31 - 1);

  const registry = new Registry();
  const connections = new Set<net.Socket>();
  let bound: BoundSocket | undefined;
  let pending: Promise<void> | undefined;

  const answer = async (request: ProbeRequest): Promise<string> => {
    const budgetMs =
      request.timeoutMs === undefined
        ? undefined
        : request.timeoutMs - Math.min(REPLY_MARGIN_MS, request.timeoutMs / 4);
    const report = await registry.evaluate(request.probe, budgetMs === undefined ? {} : { budgetMs });
    return request.format === 'byte' ? encodeCompatReply(report) : encodeProbeReply(report);
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
      const netServer = net.createServer({ allowHalfOpen: true }, (socket) => {
        socket.unref();
        connections.add(socket);
        socket.once('close', () => connections.delete(socket));
        serveConnection(socket, answer, idleTimeoutMs);
      });
      // Health checking must never be the reason a worker stays up.
      netServer.unref();
      pending = bindUnixSocket(netServer, address, socketMode)
        .then((result) => {
          bound = result;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    async close() {
      await pending?.catch(() => undefined);
      const current = bound;
      bound = undefined;
      if (!current) return;
      for (const socket of connections) socket.destroy();
      await current.unbind();
    },
  };
  return server;
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
