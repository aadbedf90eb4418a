import { healthsockError } from '../../model/errors.js';
import type { HealthsockError } from '../../model/HealthsockError.js';
import { passes } from '../../model/passes.js';
import { isProbeName, PROBES, type ProbeName } from '../../model/probes.js';
import type { ProbeReport } from '../../model/reports.js';
import { startMonitor, type Monitor } from '../../monitor/startMonitor.js';
import { GRPC_STATUS, SERVING_STATUS, type ServingStatus } from '../../wire/grpcHealthWire.js';

/** What the gRPC health service needs of the server: the registry, and every whole evaluation's report. */
export interface GrpcHealthOptions {
  /** Evaluates a probe, or one check of it, for a client that waits `timeoutMs` in all (if given). */
  evaluate(
    probe: ProbeName,
    options?: { timeoutMs?: number | undefined; only?: string | undefined },
  ): Promise<ProbeReport>;
  checkNames(probe: ProbeName): string[];
  /** Calls `listener` with each whole evaluation's report until the returned function is called. */
  onReport(listener: (report: ProbeReport) => void): () => void;
  /** How often a watched probe is evaluated while a Watch is open, in ms. */
  intervalMs: number;
  fault(error: HealthsockError): void;
}

/** The outcome of a call: a gRPC status, and the message for `grpc-message`. */
export interface GrpcOutcome {
  code: number;
  message: string;
}

/** One Check: the serving status when `code` is OK. */
export type CheckOutcome = GrpcOutcome & { status?: ServingStatus };
export type ListOutcome = GrpcOutcome & { statuses?: Record<ProbeName, ServingStatus> };

export interface CallOptions {
  /** The client's deadline (`grpc-timeout`), in ms. */
  timeoutMs?: number | undefined;
  /** Whether check messages may be shown to this client. */
  details: boolean;
}

/** `grpc.health.v1.Health` over the registry, for the gRPC transport and the grpc-js adapter alike. */
export interface GrpcHealth {
  check(service: string, options: CallOptions): Promise<CheckOutcome>;
  list(options: CallOptions): Promise<ListOutcome>;
  /**
   * Sends the service's status at once and then each change, until the returned function is
   * called, or until {@link stop} calls `end`. An unknown service gets `SERVICE_UNKNOWN`, once.
   */
  watch(service: string, send: (status: ServingStatus) => void, end: () => void): () => void;
  /** Ends every open watch and stops their monitors. */
  stop(): Promise<void>;
}

/** A service name read: a probe, or one check of a probe. */
interface Service {
  probe: ProbeName;
  check: string | undefined;
}

/**
 * The services: `liveness`, `readiness` and `startup` are the probes, and the empty service is
 * liveness (the whole server is up when its process is responsive, as `/health` answers it).
 * `<probe>/<check>` asks one check, as `/readyz/<check>` does. Anything else is unknown.
 */
export function createGrpcHealth(options: GrpcHealthOptions): GrpcHealth {
  const { evaluate, checkNames, onReport, intervalMs, fault } = options;
  const monitors = new Map<ProbeName, { count: number; monitor: Monitor }>();
  /** Each open watch's `end`. */
  const watching = new Set<() => void>();

  const resolve = (service: string): Service | undefined => {
    if (service === '') return { probe: 'liveness', check: undefined };
    if (isProbeName(service)) return { probe: service, check: undefined };
    const slash = service.indexOf('/');
    const probe = service.slice(0, slash);
    const check = service.slice(slash + 1);
    if (slash === -1 || !isProbeName(probe) || !checkNames(probe).includes(check)) return undefined;
    return { probe, check };
  };

  /** While a watch of `probe` is open, a monitor evaluates it, so that a change is seen without any other caller. */
  const keepEvaluating = (probe: ProbeName): (() => void) => {
    const running = monitors.get(probe);
    if (running) running.count++;
    else {
      const monitor = startMonitor(evaluate, {
        probe,
        intervalMs,
        // Its reports reach the watches through `onReport`, like everyone else's.
        onReport: () => undefined,
        onError: (error) =>
          fault(healthsockError('ERR_GRPC_FAILED', 'watch', [probe, String(error)], { cause: error })),
      });
      monitors.set(probe, { count: 1, monitor });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const entry = monitors.get(probe);
      if (!entry || --entry.count > 0) return;
      monitors.delete(probe);
      void entry.monitor.stop();
    };
  };

  return {
    async check(service, { timeoutMs, details }) {
      const resolved = resolve(service);
      if (!resolved) return unknownService(service);
      let report: ProbeReport;
      try {
        report = await evaluate(resolved.probe, { timeoutMs: callBudget(timeoutMs), only: resolved.check });
      } catch (error) {
        return { code: GRPC_STATUS.INTERNAL, message: `the server failed to evaluate the probe: ${String(error)}` };
      }
      const status = servingStatus(report, resolved.check);
      return {
        code: GRPC_STATUS.OK,
        status,
        message: status === SERVING_STATUS.SERVING ? '' : reason(report, details),
      };
    },
    async list({ timeoutMs, details }) {
      try {
        const reports = await Promise.all(PROBES.map((probe) => evaluate(probe, { timeoutMs: callBudget(timeoutMs) })));
        const statuses = Object.fromEntries(reports.map((report) => [report.probe, servingStatus(report, undefined)]));
        const failing = reports.filter((report) => !passes(report.status));
        return {
          code: GRPC_STATUS.OK,
          statuses: statuses as Record<ProbeName, ServingStatus>,
          message: failing.map((report) => reason(report, details)).join('; '),
        };
      } catch (error) {
        return { code: GRPC_STATUS.INTERNAL, message: `the server failed to evaluate the probes: ${String(error)}` };
      }
    },
    watch(service, send, end) {
      const resolved = resolve(service);
      if (!resolved) {
        send(SERVING_STATUS.SERVICE_UNKNOWN);
        watching.add(end);
        return () => watching.delete(end);
      }
      let last: ServingStatus | undefined;
      let stopped = false;
      const update = (report: ProbeReport) => {
        if (stopped || report.probe !== resolved.probe) return;
        const status = servingStatus(report, resolved.check);
        if (status === last) return;
        last = status;
        send(status);
      };
      const unsubscribe = onReport(update);
      const release = keepEvaluating(resolved.probe);
      watching.add(end);
      // The current status at once: a monitor that was already running may not report for a while.
      evaluate(resolved.probe, { only: resolved.check }).then(
        (report) => {
          if (last === undefined) update(report);
        },
        () => undefined,
      );
      return () => {
        stopped = true;
        watching.delete(end);
        unsubscribe();
        release();
      };
    },
    async stop() {
      for (const end of [...watching]) end();
      watching.clear();
      const running = [...monitors.values()];
      monitors.clear();
      await Promise.all(running.map(({ monitor }) => monitor.stop()));
    },
  };
}

/**
 * The part of a call's deadline the checks may use. A gRPC client's deadline also covers its
 * connection and the HTTP/2 exchange (kubelet's one timeout covers the dial too), so a tenth is
 * kept for them; the server keeps its usual margin for the reply on top.
 */
function callBudget(timeoutMs: number | undefined): number | undefined {
  return timeoutMs === undefined ? undefined : timeoutMs * 0.9;
}

function unknownService(service: string): GrpcOutcome {
  return {
    code: GRPC_STATUS.NOT_FOUND,
    message: `unknown service ${JSON.stringify(service.slice(0, 100))}; use liveness, readiness, startup, <probe>/<check> or the empty service (liveness)`,
  };
}

/** Pass (healthy or degraded) is SERVING; fail is NOT_SERVING. One check's status when one is asked. */
function servingStatus(report: ProbeReport, check: string | undefined): ServingStatus {
  // A probe answered without its checks (startup latched, readiness draining) speaks for them all.
  const status =
    (check === undefined ? undefined : report.checks.find((c) => c.name === check)?.status) ?? report.status;
  return passes(status) ? SERVING_STATUS.SERVING : SERVING_STATUS.NOT_SERVING;
}

/** Why a probe fails, for `grpc-message`: check messages only for clients allowed to see them. */
function reason(report: ProbeReport, details: boolean): string {
  const failing = report.checks
    .filter((check) => !passes(check.status))
    .map((check) => `${check.name}: ${details ? (check.message ?? check.status) : 'reason withheld'}`);
  if (report.message) failing.push(report.message);
  return `${report.probe} failed${failing.length > 0 ? `: ${failing.join('; ')}` : ''}`;
}
