import { PROBES, type ProbeName } from '../model/probes.js';
import {
  DEFAULT_GATE_INTERVAL_MS,
  DEFAULT_GRPC_INTERVAL_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  MAX_TIMER_MS,
  MIN_INTERVAL_MS,
} from '../model/limits.js';
import { METRICS_PATH, resolveHttpRoutes, type HttpRoutes } from '../transports/http/resolveHttpRoutes.js';
import {
  invalidOption,
  validateBoolean,
  validateFilePath,
  validateHost,
  validateInteger,
  validateObject,
  validateOneOf,
  validatePort,
} from './validators.js';

/** Every key of each transport's options (`TransportOptions.ts`): any other is a typo, refused with a suggestion. */
const HTTP_OPTION_KEYS = ['port', 'host', 'paths', 'details', 'metrics'] as const;
const TCP_GATE_OPTION_KEYS = ['port', 'host', 'probe', 'intervalMs'] as const;
const HEARTBEAT_OPTION_KEYS = ['path', 'probe', 'intervalMs'] as const;
const GRPC_OPTION_KEYS = ['port', 'host', 'details', 'intervalMs'] as const;

export interface ResolvedTransports {
  http: { port: number; host: string | undefined; details: boolean; metrics: boolean } | undefined;
  routes: HttpRoutes;
  tcp: { port: number; host: string | undefined; probe: ProbeName; intervalMs: number }[];
  heartbeat: { path: string; probe: ProbeName; intervalMs: number } | undefined;
  grpc: { port: number; host: string | undefined; details: boolean; intervalMs: number } | undefined;
}

/** Validates the options of the HTTP, TCP gate, heartbeat and gRPC transports, before any I/O. */
export function resolveTransportOptions(options: {
  http?: unknown;
  tcp?: unknown;
  heartbeat?: unknown;
  grpc?: unknown;
}): ResolvedTransports {
  const http =
    options.http === undefined ? undefined : validateObject('http', options.http, { known: HTTP_OPTION_KEYS });
  const gates: unknown[] = options.tcp === undefined ? [] : Array.isArray(options.tcp) ? options.tcp : [options.tcp];
  const heartbeat =
    options.heartbeat === undefined
      ? undefined
      : validateObject('heartbeat', options.heartbeat, { known: HEARTBEAT_OPTION_KEYS });
  const grpc =
    options.grpc === undefined ? undefined : validateObject('grpc', options.grpc, { known: GRPC_OPTION_KEYS });

  const resolved: ResolvedTransports = {
    http: http && {
      port: validatePort('http.port', http.port),
      host: validateHost('http.host', http.host),
      details: validateBoolean('http.details', http.details),
      metrics: validateBoolean('http.metrics', http.metrics),
    },
    routes: resolveHttpRoutes(http?.paths),
    tcp: gates.map((gate, index) => {
      const at = `tcp[${index}]`;
      const given = validateObject(at, gate, { known: TCP_GATE_OPTION_KEYS });
      return {
        port: validatePort(`${at}.port`, given.port),
        host: validateHost(`${at}.host`, given.host),
        probe: validateOneOf(`${at}.probe`, given.probe, PROBES, 'liveness'),
        intervalMs: interval(`${at}.intervalMs`, given.intervalMs ?? DEFAULT_GATE_INTERVAL_MS),
      };
    }),
    heartbeat: heartbeat && {
      path: validateFilePath('heartbeat.path', heartbeat.path),
      probe: validateOneOf('heartbeat.probe', heartbeat.probe, PROBES, 'liveness'),
      intervalMs: interval('heartbeat.intervalMs', heartbeat.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS),
    },
    grpc: grpc && {
      port: validatePort('grpc.port', grpc.port),
      host: validateHost('grpc.host', grpc.host),
      details: validateBoolean('grpc.details', grpc.details),
      intervalMs: interval('grpc.intervalMs', grpc.intervalMs ?? DEFAULT_GRPC_INTERVAL_MS),
    },
  };
  if (resolved.http?.metrics && resolved.routes.has(METRICS_PATH)) {
    throw invalidOption(
      `http path ${METRICS_PATH} is given to ${String(resolved.routes.get(METRICS_PATH))} and to metrics: true; each path answers one thing`,
    );
  }
  const ports = [resolved.http?.port, resolved.grpc?.port, ...resolved.tcp.map((gate) => gate.port)].filter(
    (p) => p !== undefined && p !== 0,
  );
  const twice = ports.find((p, index) => ports.indexOf(p) !== index);
  if (twice !== undefined) {
    throw invalidOption(`port ${twice} is configured twice; each transport needs a port of its own`);
  }
  return resolved;
}

/** How often a monitoring transport evaluates its probe: each tick costs an evaluation. */
function interval(name: string, value: unknown): number {
  return validateInteger(name, value, MIN_INTERVAL_MS, MAX_TIMER_MS, ' ms');
}
