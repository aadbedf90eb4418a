import { CheckResources } from './checks/CheckResources.js';
import { HealthEvents, type ChangeListener, type ErrorListener, type HealthLogger } from './events/HealthEvents.js';
import { METRICS_HOOK, MetricsLink, type LendRecorder } from './metrics/MetricsLink.js';
import { HealthsockError } from './model/HealthsockError.js';
import type { ProbeName } from './model/probes.js';
import type { ProbeReport } from './model/reports.js';
import { Registry, type EvaluateOptions, type Redact } from './registry/Registry.js';
import type { CheckOptions, HealthCheck } from './registry/types.js';
import { callUser } from './user/callUser.js';
import { describeThrown } from './user/describeThrown.js';
import { resolveServerOptions } from './options/resolveServerOptions.js';
import { createHttpHandler, type HttpHandler } from './transports/http/createHttpHandler.js';
import { createHttpResponder } from './transports/http/createHttpResponder.js';
import { httpResponse } from './transports/http/HttpResponse.js';
import type { HttpTransport } from './transports/http/createHttpTransport.js';
import { ConnectionPool } from './transports/net/ConnectionPool.js';
import type { TcpGate } from './transports/tcp/createTcpGate.js';
import type { Transport } from './transports/Transport.js';
import type { GrpcOptions, HeartbeatOptions, HttpOptions, TcpGateOptions } from './transports/TransportOptions.js';
import type { GrpcHealth } from './transports/grpc/createGrpcHealth.js';
import {
  createGrpcHealthService,
  type GrpcHealthService,
  type GrpcJsStreamingCall,
} from './transports/grpc/createGrpcHealthService.js';
import type { GrpcTransport } from './transports/grpc/createGrpcTransport.js';
import { replyBudget } from './wire/replyBudget.js';
import { createSocketTransport } from './transports/uds/createSocketTransport.js';

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
export interface HealthServerPorts {
  http: number | undefined;
  /** One per TCP gate, in the order given; a gate's port is `undefined` until it first opened. */
  tcp: (number | undefined)[];
  grpc: number | undefined;
}

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

/**
 * Creates a health server. Options are validated here, before any I/O; `listen()` starts it.
 */
export function createHealthServer(options: HealthServerOptions = {}): HealthServer {
  const {
    address,
    socketMode,
    idleTimeoutMs,
    maxConnections,
    drainDelayMs,
    signals,
    onShutdown,
    logger,
    transports: resolved,
  } = resolveServerOptions(options);
  const events = new HealthEvents(logger);

  const metrics = new MetricsLink();
  /** Whoever follows every whole evaluation besides the events: the gRPC service's watches. */
  const reportListeners = new Set<(report: ProbeReport) => void>();
  const registry = new Registry({
    ...(options.redact ? { redact: options.redact } : {}),
    onReport: (report, whole) => {
      metrics.note(report, whole);
      // A part of a probe (`exclude`, `only`) is not the probe's status, so it is no transition.
      if (!whole) return;
      events.observe(report);
      for (const listener of reportListeners) listener(report);
    },
  });
  /** The code of `/metrics`, loading from now on so that the first evaluations are recorded too. */
  const metricsCode = resolved.http?.metrics ? loadMetrics(metrics) : undefined;
  const pool = new ConnectionPool({ maxConnections, idleTimeoutMs });
  const respondHttp = createHttpResponder(
    registry,
    resolved.routes,
    metricsCode &&
      (async () => {
        const code = await metricsCode;
        const recorder = metrics.attach(() => new code.MetricsRecorder());
        return httpResponse(200, code.formatPrometheusText(recorder.read()), false, {
          'Content-Type': code.PROMETHEUS_CONTENT_TYPE,
        });
      }),
  );
  const evaluate = (probe: ProbeName) => registry.evaluate(probe);
  const fault = (error: HealthsockError) => events.fault(error);
  const socket = address && createSocketTransport({ address, mode: socketMode, registry, pool, respondHttp });
  let http: HttpTransport | undefined;
  let grpc: GrpcTransport | undefined;
  let gates: TcpGate[] = [];
  let grpcCode: Promise<{ health: GrpcHealth; code: typeof import('./transports/grpc/optionalGrpc.js') }> | undefined;
  /** The gRPC service, shared by the transport and the grpc-js adapter; its code loads only when one needs it. */
  const loadGrpc = () =>
    (grpcCode ??= import('./transports/grpc/optionalGrpc.js').then((code) => ({
      code,
      health: code.createGrpcHealth({
        evaluate: (probe, { timeoutMs, only } = {}) =>
          registry.evaluate(probe, { ...replyBudget(timeoutMs), ...(only === undefined ? {} : { only }) }),
        checkNames: (probe) => registry.checkNames(probe),
        onReport: (listener) => {
          reportListeners.add(listener);
          return () => reportListeners.delete(listener);
        },
        intervalMs: resolved.grpc?.intervalMs ?? 1000,
        fault,
      }),
    })));
  let transports: Transport[] | undefined;
  /** The configured transports; their code loads only when one is configured, so one that is off costs nothing. */
  const loadTransports = async (): Promise<Transport[]> => {
    if (transports) return transports;
    await metricsCode;
    const optional =
      resolved.http || resolved.tcp.length > 0 || resolved.heartbeat
        ? await import('./transports/optionalTransports.js')
        : undefined;
    http = resolved.http && optional?.createHttpTransport({ ...resolved.http, respond: respondHttp, pool });
    gates = resolved.tcp.flatMap((gate) => optional?.createTcpGate({ ...gate, evaluate, fault }) ?? []);
    const heartbeat = resolved.heartbeat && optional?.createHeartbeat({ ...resolved.heartbeat, evaluate, fault });
    if (resolved.grpc) {
      const { code, health } = await loadGrpc();
      grpc = code.createGrpcTransport({ ...resolved.grpc, health, pool, idleTimeoutMs });
    }
    transports = [
      ...(socket ? [socket] : []),
      ...(http ? [http] : []),
      ...(grpc ? [grpc] : []),
      ...gates,
      ...(heartbeat ? [heartbeat] : []),
    ];
    return transports;
  };
  let started: Transport[] | undefined;
  let pending: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  const resources = new CheckResources();
  let closing: Promise<void> | undefined;
  /** The signal that started a shutdown still in progress, until `onShutdown` has settled. */
  let signalled: NodeJS.Signals | undefined;
  let listeningForSignals = false;

  const listenForSignals = (on: boolean) => {
    if (on === listeningForSignals) return;
    listeningForSignals = on;
    for (const signal of signals) {
      if (on) process.on(signal, onSignal);
      else process.off(signal, onSignal);
    }
  };

  const onSignal = (signal: NodeJS.Signals) => {
    // A repeated signal during the drain is ignored rather than left to Node's default, which
    // would kill the worker mid-drain: the drain runs its course and onShutdown runs once.
    if (signalled) return;
    signalled = signal;
    const shutdownFailed = (thrown: unknown) =>
      events.fault(
        new HealthsockError(
          'ERR_SHUTDOWN_FAILED',
          `healthsock: shutdown on ${signal} failed: ${describeThrown(thrown)}`,
          {
            cause: thrown,
          },
        ),
      );
    // Nobody awaits a signal handler, so a failure here must not become an unhandled rejection.
    server
      .shutdown()
      .then(async () => {
        const outcome = await callUser(() => onShutdown?.(signal));
        if (!outcome.ok) shutdownFailed(outcome.thrown);
      }, shutdownFailed)
      .finally(() => {
        signalled = undefined;
        // The process is the worker's again, with Node's default for these signals.
        listenForSignals(false);
      });
  };

  const closeNow = async () => {
    await pending?.catch(() => undefined);
    if (!signalled) listenForSignals(false);
    resources.stop();
    const running = started;
    started = undefined;
    // Open Watch streams end, on the transport and through the adapter alike.
    await grpcCode?.then(
      ({ health }) => health.stop(),
      () => undefined,
    );
    if (!running) return;
    pool.closeAll();
    await stopAll(running);
  };

  const server: HealthServer = {
    socketPath: address?.display ?? '',
    get ports() {
      return {
        http: http?.port(),
        tcp: resolved.tcp.map((_, index) => gates[index]?.port()),
        grpc: grpc?.port(),
      };
    },
    httpHandler: createHttpHandler(respondHttp, resolved.http?.details ?? false),
    grpcHealthService: createGrpcHealthService((method, call, callback) => {
      loadGrpc()
        .then(({ code, health }) =>
          code.serveGrpcJsCall(health, resolved.grpc?.details ?? false, method, call, callback),
        )
        .catch((error: unknown) => {
          // The call still ends, with a status, and the fault is reported rather than left unhandled.
          const status = { code: 13, details: `healthsock cannot answer: ${String(error)}` };
          if (callback) callback(status);
          else (call as GrpcJsStreamingCall).emit('error', status);
          fault(new HealthsockError('ERR_GRPC_FAILED', status.details, { cause: error }));
        });
    }),
    addCheck(name, check, checkOptions) {
      registry.add(name, check, checkOptions);
      resources.add(check);
      return server;
    },
    on(event: 'change' | 'error', listener: ChangeListener | ErrorListener) {
      events.on(event, listener);
      return server;
    },
    off(event: 'change' | 'error', listener: ChangeListener | ErrorListener) {
      events.off(event, listener);
      return server;
    },
    probe: (probe, evaluateOptions) => registry.evaluate(probe, evaluateOptions),
    listen() {
      // `close(); listen()` in one tick, as net.Server allows: the close finishes first.
      if (closing) return closing.catch(() => undefined).then(() => server.listen());
      if (started || pending) {
        return Promise.reject(
          new HealthsockError(
            'ERR_ALREADY_LISTENING',
            `health server is already listening${address ? ` on ${address.display}` : ''}`,
          ),
        );
      }
      pending = (async () => {
        const configured = await loadTransports();
        resources.start();
        pool.open();
        const running = await startAll(configured);
        try {
          listenForSignals(true);
        } catch (error) {
          listenForSignals(false);
          await stopAll(running);
          throw error;
        }
        started = running;
      })()
        .catch((error: unknown) => {
          // Callers match on `code`: whatever failed, they get a HealthsockError, and nothing stays bound.
          if (error instanceof HealthsockError) throw error;
          throw new HealthsockError(
            'ERR_SOCKET_LISTEN',
            `cannot start the health server${address ? ` on ${address.display}` : ''}: ${String((error as Error)?.message ?? error)}`,
            { cause: error },
          );
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
    close() {
      // Every caller, the second as well as the first, waits until the cleanup has finished.
      closing ??= closeNow().finally(() => {
        closing = undefined;
      });
      return closing;
    },
  };
  // Not enumerable and not in the types: the way the metrics adapters reach this server's results.
  const lend: LendRecorder = (create) => metrics.attach(create);
  Object.defineProperty(server, METRICS_HOOK, { value: lend });
  return server;
}

/** Loads the metrics code; evaluations made meanwhile wait in `link` to be recorded. */
function loadMetrics(link: MetricsLink): Promise<typeof import('./metrics/optionalMetrics.js')> {
  link.expect();
  const loading = import('./metrics/optionalMetrics.js').then((code) => {
    link.attach(() => new code.MetricsRecorder());
    return code;
  });
  // `listen()` reports the failure; until then, nothing more is kept for a recorder that never comes.
  loading.catch(() => link.abandon());
  return loading;
}

/**
 * Starts the transports in order. If one fails, those already started are stopped again
 * before the failure is passed on, so that nothing is left half-started.
 */
async function startAll(transports: readonly Transport[]): Promise<Transport[]> {
  const running: Transport[] = [];
  try {
    for (const transport of transports) {
      await transport.start();
      running.push(transport);
    }
  } catch (error) {
    await stopAll(running);
    throw error;
  }
  return running;
}

async function stopAll(transports: readonly Transport[]): Promise<void> {
  await Promise.all(transports.map((transport) => transport.stop()));
}

function delay(ms: number): Promise<void> {
  if (ms === 0) return Promise.resolve();
  // The drain waits for kubelet and the endpoints to notice; it must not hold the process open.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
