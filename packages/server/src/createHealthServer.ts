import { constants } from 'node:os';
import { CheckResources } from './checks/CheckResources.js';
import { HealthEvents, type ChangeListener, type ErrorListener, type HealthLogger } from './events/HealthEvents.js';
import type { HealthServer, HealthServerOptions } from './HealthServer.js';
import { Lifecycle } from './lifecycle/Lifecycle.js';
import { shutdownSignals } from './lifecycle/shutdownSignals.js';
import { loadMetrics } from './metrics/loadMetrics.js';
import { METRICS_HOOK, MetricsLink, type LendRecorder } from './metrics/MetricsLink.js';
import { defaultSocketPath } from './model/defaultSocketPath.js';
import { HealthsockError } from './model/HealthsockError.js';
import { MAX_TIMER_MS } from './model/limits.js';
import type { ProbeReport } from './model/reports.js';
import { resolveSocketAddress, type SocketAddress } from './model/resolveSocketAddress.js';
import { describeValue } from './options/describeValue.js';
import { rejectUnknownKeys } from './options/rejectUnknownKeys.js';
import { Registry } from './registry/Registry.js';
import { configureTransports } from './transports/configureTransports.js';
import { lazyGrpcHealth } from './transports/grpc/lazyGrpcHealth.js';
import { createHttpHandler } from './transports/http/createHttpHandler.js';
import { createHttpResponder } from './transports/http/createHttpResponder.js';
import { createServeHttp } from './transports/http/createServeHttp.js';
import { ConnectionPool } from './transports/net/ConnectionPool.js';
import { resolveTransportOptions } from './transports/resolveTransportOptions.js';
import { startTransports, stopTransports } from './transports/startTransports.js';
import type { Transport } from './transports/Transport.js';

/** Long enough to type a probe's name by hand. */
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** A burst of a thousand concurrent probes is answered, not refused: their work is shared. */
const DEFAULT_MAX_CONNECTIONS = 1000;

/** Every key of {@link HealthServerOptions}: any other is a typo, refused with a suggestion. */
const HEALTH_SERVER_OPTION_KEYS = [
  'socketPath',
  'socketMode',
  'idleTimeoutMs',
  'maxConnections',
  'redact',
  'drainDelayMs',
  'shutdownSignals',
  'onShutdown',
  'logger',
  'http',
  'tcp',
  'heartbeat',
  'grpc',
] as const;

/**
 * Creates a health server. Options are validated here, before any I/O; `listen()` starts it.
 */
export function createHealthServer(options: HealthServerOptions = {}): HealthServer {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HealthsockError('ERR_INVALID_OPTION', `options must be an object, got ${describeValue(options)}`);
  }
  rejectUnknownKeys('createHealthServer()', options, HEALTH_SERVER_OPTION_KEYS);
  const address =
    options.socketPath === false ? undefined : validateAddress(options.socketPath ?? defaultSocketPath(process.env));
  const socketMode = validateSocketMode(options.socketMode ?? 0o600);
  const idleTimeoutMs = validateInteger(
    'idleTimeoutMs',
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    1,
    MAX_TIMER_MS,
  );
  const maxConnections = validateInteger(
    'maxConnections',
    options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    1,
    1_000_000,
  );
  const drainDelayMs = validateInteger('drainDelayMs', options.drainDelayMs ?? 0, 0, MAX_TIMER_MS);
  const signals = validateSignals(options.shutdownSignals ?? []);
  const onShutdown = validateFunction('onShutdown', options.onShutdown);
  validateFunction('redact', options.redact);
  const events = new HealthEvents(validateLogger(options.logger));

  const resolved = resolveTransportOptions(options);

  const metrics = new MetricsLink();
  /** Whoever follows every whole evaluation besides the events: the gRPC service's watches. */
  const watchers = new Set<(report: ProbeReport) => void>();
  const registry = new Registry({
    ...(options.redact ? { redact: options.redact } : {}),
    onReport: (report, whole) => {
      metrics.note(report, whole);
      // A part of a probe (`exclude`, `only`) is not the probe's status, so it is no transition.
      if (!whole) return;
      events.observe(report);
      for (const watcher of watchers) watcher(report);
    },
  });
  // Loading from now on, so that the first evaluations are recorded too.
  const metricsCode = resolved.http?.metrics ? loadMetrics(metrics) : undefined;
  const respondHttp = createHttpResponder(registry, resolved.routes, metricsCode?.scrape);
  const fault = (error: HealthsockError) => events.fault(error);
  const grpc = lazyGrpcHealth({
    registry,
    onReport: (watcher) => {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    intervalMs: resolved.grpc?.intervalMs ?? 1000,
    details: resolved.grpc?.details ?? false,
    fault,
  });
  const pool = new ConnectionPool({ maxConnections, idleTimeoutMs });
  const context = {
    registry,
    pool,
    idleTimeoutMs,
    fault,
    serveHttp: createServeHttp(respondHttp),
    grpcHealth: grpc.load,
  };
  const transports = configureTransports({ ...resolved, socket: address && { address, mode: socketMode } }, context);
  const resources = new CheckResources();
  const onSignals = shutdownSignals({ signals, shutdown: () => server.shutdown(), onShutdown, fault });
  const where = address ? ` on ${address.display}` : '';

  const lifecycle = new Lifecycle<Transport[]>({
    drainDelayMs,
    alreadyListening: () => new HealthsockError('ERR_ALREADY_LISTENING', `health server is already listening${where}`),
    start: async () => {
      try {
        await metricsCode?.loaded;
        const configured = await transports.load();
        resources.start();
        pool.open();
        const running = await startTransports(configured);
        try {
          onSignals.listen();
        } catch (error) {
          await stopTransports(running);
          throw error;
        }
        return running;
      } catch (error) {
        throw startFailure(error, where);
      }
    },
    stop: async (running) => {
      onSignals.release();
      resources.stop();
      // Open Watch streams end, on the transport and through the adapter alike.
      await grpc.stop();
      if (!running) return;
      pool.closeAll();
      await stopTransports(running);
    },
  });

  const server: HealthServer = {
    socketPath: address?.display ?? '',
    get ports() {
      return transports.ports();
    },
    httpHandler: createHttpHandler(respondHttp, resolved.http?.details ?? false),
    grpcHealthService: grpc.adapter,
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
    listen: () => lifecycle.listen(),
    shutdown() {
      registry.beginShutdown();
      return lifecycle.shutdown();
    },
    close: () => lifecycle.close(),
  };
  // Not enumerable and not in the types: the way the metrics adapters reach this server's results.
  const lend: LendRecorder = (create) => metrics.attach(create);
  Object.defineProperty(server, METRICS_HOOK, { value: lend });
  return server;
}

/** Callers match on `code`: whatever failed, they get a HealthsockError, and nothing stays bound. */
function startFailure(error: unknown, where: string): HealthsockError {
  if (error instanceof HealthsockError) return error;
  const reason = String((error as Error)?.message ?? error);
  return new HealthsockError('ERR_SOCKET_LISTEN', `cannot start the health server${where}: ${reason}`, {
    cause: error,
  });
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

function validateInteger(name: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `${name} is ${describeValue(value)}; it must be an integer from ${min} to ${max}${hint}`,
    );
  }
  return value;
}

/** Permission bits are octal: `660` written in decimal is almost always meant as `0o660`. */
function validateSocketMode(value: unknown): number {
  const digits = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const octal = /^[0-7]{3,4}$/.test(digits) ? `; write it in octal, 0o${digits.replace(/^0/, '')}` : '';
  if (typeof value === 'number' && value > 0o777 && octal) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `socketMode is ${value}, which is decimal${octal} (the permission bits, e.g. 0o600 or 0o660)`,
    );
  }
  return validateInteger('socketMode', value, 0, 0o777, octal);
}

/** Signals that cannot start a shutdown, and why. */
const REFUSED_SIGNALS: Readonly<Record<string, string>> = {
  SIGKILL: 'cannot be caught by a process',
  SIGSTOP: 'cannot be caught by a process',
  // Listening and then stopping resets them to the system's default, which ends the process.
  SIGPIPE: 'is ignored by Node, so that a write to a closed connection cannot kill the worker',
  SIGXFSZ: 'is ignored by Node, so that an oversized write fails instead of killing the worker',
};

/**
 * The signals to shut down on: names this platform knows and a process can catch. A typo
 * (`SIGTREM`) would otherwise leave the drain silently undone, Node's default killing the worker.
 */
function validateSignals(signals: unknown): readonly NodeJS.Signals[] {
  if (!Array.isArray(signals)) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `shutdownSignals must be a list of signal names such as ['SIGTERM'], got ${describe(signals)}`,
    );
  }
  for (const signal of signals) {
    if (typeof signal !== 'string' || !Object.hasOwn(constants.signals, signal)) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `shutdownSignals: ${describe(signal)} is not a signal name; use e.g. 'SIGTERM' or 'SIGINT'`,
      );
    }
    const refused = REFUSED_SIGNALS[signal];
    if (refused) {
      throw new HealthsockError(
        'ERR_INVALID_OPTION',
        `shutdownSignals: ${signal} ${refused}; use e.g. 'SIGTERM' or 'SIGINT'`,
      );
    }
  }
  return [...new Set(signals as NodeJS.Signals[])];
}

function validateLogger(logger: unknown): HealthLogger | undefined {
  if (logger === undefined) return undefined;
  const shaped = logger as Partial<HealthLogger> | null;
  if (typeof shaped?.warn !== 'function' || typeof shaped.info !== 'function') {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `logger must have warn and info methods, such as console, got ${describe(logger)}`,
    );
  }
  // Bound, so that a console-like logger whose methods need their object still works.
  return { warn: (message) => shaped.warn?.(message), info: (message) => shaped.info?.(message) };
}

function validateFunction<T>(name: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw new HealthsockError('ERR_INVALID_OPTION', `${name} must be a function, got ${describe(value)}`);
  }
  return value;
}

const describe = describeValue;
