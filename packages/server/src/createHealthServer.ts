import { CheckResources } from './checks/CheckResources.js';
import { HealthEvents, type ChangeListener, type ErrorListener } from './events/HealthEvents.js';
import type { HealthServer, HealthServerOptions } from './HealthServer.js';
import { Lifecycle } from './lifecycle/Lifecycle.js';
import { shutdownSignals } from './lifecycle/shutdownSignals.js';
import { loadMetrics } from './metrics/loadMetrics.js';
import { METRICS_HOOK, MetricsLink, type LendRecorder } from './metrics/MetricsLink.js';
import { healthsockError } from './model/errors.js';
import { HealthsockError } from './model/HealthsockError.js';
import type { ProbeReport } from './model/reports.js';
import { resolveServerOptions } from './options/resolveServerOptions.js';
import { Registry } from './registry/Registry.js';
import { configureTransports } from './transports/configureTransports.js';
import { lazyGrpcHealth } from './transports/grpc/lazyGrpcHealth.js';
import { createHttpHandler } from './transports/http/createHttpHandler.js';
import { createHttpResponder } from './transports/http/createHttpResponder.js';
import { createServeHttp } from './transports/http/createServeHttp.js';
import { ConnectionPool } from './transports/net/ConnectionPool.js';
import { startTransports, stopTransports } from './transports/startTransports.js';
import type { Transport } from './transports/Transport.js';

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
    redact,
    logger,
    transports: resolved,
  } = resolveServerOptions(options);
  const events = new HealthEvents(logger);

  const metrics = new MetricsLink();
  /** Whoever follows every whole evaluation besides the events: the gRPC service's watches. */
  const watchers = new Set<(report: ProbeReport) => void>();
  const registry = new Registry({
    ...(redact ? { redact } : {}),
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
    alreadyListening: () => healthsockError('ERR_ALREADY_LISTENING', 'server', [where]),
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
  return healthsockError('ERR_SOCKET_LISTEN', 'server', [where, reason], { cause: error });
}
