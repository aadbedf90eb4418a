import type { ChangeListener, ErrorListener, HealthLogger } from './events/HealthEvents.js';
import type { ProbeName } from './model/probes.js';
import type { ProbeReport } from './model/reports.js';
import type { EvaluateOptions, Redact } from './registry/Registry.js';
import type { CheckOptions, HealthCheck } from './registry/types.js';
import type { TransportPorts } from './transports/configureTransports.js';
import type { GrpcHealthService } from './transports/grpc/createGrpcHealthService.js';
import type { HttpHandler } from './transports/http/createHttpHandler.js';
import type { GrpcOptions, HeartbeatOptions, HttpOptions, TcpGateOptions } from './transports/TransportOptions.js';

export interface HealthServerOptions {
  /**
   * Where to listen: a file path, or `@name` for a Linux abstract socket.
   * Default: `$HEALTHSOCK_SOCKET`, else `/tmp/healthsock.sock`. `false` turns the socket off.
   */
  socketPath?: string | false | undefined;
  /** The socket file's permission bits. Default `0o600`: only the worker's own user may probe. */
  socketMode?: number | undefined;
  /**
   * How long a connection may take to send a complete request, in ms. Default 30000: long enough
   * for a person typing into `socat`, since silent connections are closed to make room anyway.
   */
  idleTimeoutMs?: number | undefined;
  /**
   * The most connections open at once, over the socket and HTTP together: it protects the worker's
   * file descriptors and memory. At the cap, the oldest connection that has sent no complete
   * request (and is at least 5 ms old) is closed to make room, since a real probe sends its request
   * at once; only when there is none is a newcomer answered `ERR_OVERLOADED` (HTTP 503). Default 1000.
   */
  maxConnections?: number | undefined;
  /** Rewrites check messages before they leave the process, e.g. to mask secrets. */
  redact?: Redact | undefined;
  /** How long {@link HealthServer.shutdown} fails readiness before it closes the server, in ms. Default 0. */
  drainDelayMs?: number | undefined;
  /**
   * Opt-in: signals that start {@link HealthServer.shutdown}, e.g. `['SIGTERM']`. Listening for a
   * signal replaces Node's default of exiting, so pass `onShutdown` to stop the worker's own work.
   * A repeated signal during the drain is ignored; once `onShutdown` has settled, Node's defaults
   * are back. Names must be signals a process can catch: not SIGKILL, SIGSTOP, SIGPIPE or SIGXFSZ.
   */
  shutdownSignals?: readonly NodeJS.Signals[] | undefined;
  /** Called once a signal-started shutdown has drained and closed; the process is yours again. */
  onShutdown?: ((signal: NodeJS.Signals) => unknown) | undefined;
  /**
   * Where state changes (`info`, or `warn` when a probe gets worse) and the server's own faults
   * (`warn`) are logged, e.g. `console` or a pino logger. Without it, faults are process warnings.
   */
  logger?: HealthLogger | undefined;
  /** HTTP endpoints on a port of their own, for kubelet's `httpGet`. Off unless given. */
  http?: HttpOptions | undefined;
  /** One or more TCP ports that listen only while a probe passes, for `tcpSocket`. Off unless given. */
  tcp?: TcpGateOptions | readonly TcpGateOptions[] | undefined;
  /** A file that exists only while a probe passes, rewritten every interval. Off unless given. */
  heartbeat?: HeartbeatOptions | undefined;
  /**
   * `grpc.health.v1.Health` over plaintext HTTP/2 (h2c) on a port of its own, for kubelet's `grpc`
   * probe. Off unless given.
   */
  grpc?: GrpcOptions | undefined;
}

/** The ports the network transports listen on; `undefined` where a port is closed or not configured. */
export type HealthServerPorts = TransportPorts;

export interface HealthServer {
  /** The socket path as given, `@name` for an abstract socket; `''` when the socket is off. */
  readonly socketPath: string;
  /** Where the HTTP endpoints and TCP gates listen, e.g. to learn a port chosen with `port: 0`. */
  readonly ports: HealthServerPorts;
  /**
   * The HTTP endpoints as a handler for the application's own `node:http` server, Express or
   * Fastify: it answers a health path and returns true, or returns false and leaves the request alone.
   */
  readonly httpHandler: HttpHandler;
  /**
   * The gRPC health service for the application's own `@grpc/grpc-js` server:
   * `server.addService(health.grpcHealthService.definition, health.grpcHealthService.implementation)`.
   * The same services as the `grpc` transport; its code loads at the first call.
   */
  readonly grpcHealthService: GrpcHealthService;
  /** Registers a check. By default it belongs to the startup and readiness probes. */
  addCheck(name: string, check: HealthCheck, options?: CheckOptions): HealthServer;
  /**
   * `change`: a probe's aggregate status differs from its previous evaluation, whoever asked.
   * `error`: one of the server's own faults, never a check's failure. Listeners run at once;
   * one that throws or rejects is reported as an `error` and breaks nothing.
   */
  on(event: 'change', listener: ChangeListener): HealthServer;
  on(event: 'error', listener: ErrorListener): HealthServer;
  /** Removes a listener added with `on`. */
  off(event: 'change', listener: ChangeListener): HealthServer;
  off(event: 'error', listener: ErrorListener): HealthServer;
  /** Evaluates a probe in-process, exactly as a client on the socket would see it. */
  probe(probe: ProbeName, options?: EvaluateOptions): Promise<ProbeReport>;
  /**
   * Starts every configured transport. If one fails, it rejects and leaves none running.
   * It never keeps the process alive by itself.
   */
  listen(): Promise<void>;
  /**
   * Starts draining: readiness fails at once with `shutting down` while liveness keeps passing,
   * and after `drainDelayMs` the server closes. Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
  /**
   * Stops answering, drops open connections, and removes the socket file if it is still this
   * server's. Every call, including one made while another is in progress, resolves once that is done.
   */
  close(): Promise<void>;
}
