import { isAbsolute } from 'node:path';
import { HealthsockError } from '../model/HealthsockError.js';
import { isProbeName, PROBES, type ProbeName } from '../model/probes.js';
import { describeValue } from '../options/describeValue.js';
import { rejectUnknownKeys } from '../options/rejectUnknownKeys.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { METRICS_PATH, resolveHttpRoutes, type HttpRoutes } from './http/resolveHttpRoutes.js';
import type { GrpcOptions, HeartbeatOptions, HttpOptions, TcpGateOptions } from './TransportOptions.js';

/** Every key of each transport's options (`TransportOptions.ts`): any other is a typo, refused with a suggestion. */
const HTTP_OPTION_KEYS = ['port', 'host', 'paths', 'details', 'metrics'] as const;
const TCP_GATE_OPTION_KEYS = ['port', 'host', 'probe', 'intervalMs'] as const;
const HEARTBEAT_OPTION_KEYS = ['path', 'probe', 'intervalMs'] as const;
const GRPC_OPTION_KEYS = ['port', 'host', 'details', 'intervalMs'] as const;

/** The shortest interval of a gate or heartbeat: each tick evaluates the probe. */
export const MIN_INTERVAL_MS = 100;

export interface ResolvedTransports {
  http: { port: number; host: string | undefined; details: boolean; metrics: boolean } | undefined;
  routes: HttpRoutes;
  tcp: { port: number; host: string | undefined; probe: ProbeName; intervalMs: number }[];
  heartbeat: { path: string; probe: ProbeName; intervalMs: number } | undefined;
  grpc: { port: number; host: string | undefined; details: boolean; intervalMs: number } | undefined;
}

/** Validates the options of the HTTP, TCP gate, heartbeat and gRPC transports, before any I/O. */
export function resolveTransportOptions(options: {
  http?: HttpOptions | undefined;
  tcp?: TcpGateOptions | readonly TcpGateOptions[] | undefined;
  heartbeat?: HeartbeatOptions | undefined;
  grpc?: GrpcOptions | undefined;
}): ResolvedTransports {
  const http = options.http === undefined ? undefined : record('http', options.http, HTTP_OPTION_KEYS);
  const gates = options.tcp === undefined ? [] : Array.isArray(options.tcp) ? options.tcp : [options.tcp];
  const heartbeat =
    options.heartbeat === undefined ? undefined : record('heartbeat', options.heartbeat, HEARTBEAT_OPTION_KEYS);
  const grpc = options.grpc === undefined ? undefined : record('grpc', options.grpc, GRPC_OPTION_KEYS);

  const resolved: ResolvedTransports = {
    http: http && {
      port: port('http.port', http.port),
      host: host('http.host', http.host),
      details: flag('http.details', http.details),
      metrics: flag('http.metrics', http.metrics),
    },
    routes: resolveHttpRoutes(http?.paths),
    tcp: gates.map((gate: unknown, index) => {
      const at = `tcp[${index}]`;
      const given = record(at, gate, TCP_GATE_OPTION_KEYS);
      return {
        port: port(`${at}.port`, given.port),
        host: host(`${at}.host`, given.host),
        probe: probe(`${at}.probe`, given.probe),
        intervalMs: interval(`${at}.intervalMs`, given.intervalMs ?? 1000),
      };
    }),
    heartbeat: heartbeat && {
      path: filePath('heartbeat.path', heartbeat.path),
      probe: probe('heartbeat.probe', heartbeat.probe),
      intervalMs: interval('heartbeat.intervalMs', heartbeat.intervalMs ?? 5000),
    },
    grpc: grpc && {
      port: port('grpc.port', grpc.port),
      host: host('grpc.host', grpc.host),
      details: flag('grpc.details', grpc.details),
      intervalMs: interval('grpc.intervalMs', grpc.intervalMs ?? 1000),
    },
  };
  if (resolved.http?.metrics && resolved.routes.has(METRICS_PATH)) {
    throw invalid(
      `http path ${METRICS_PATH} is given to ${String(resolved.routes.get(METRICS_PATH))} and to metrics: true; each path answers one thing`,
    );
  }
  const ports = [resolved.http?.port, resolved.grpc?.port, ...resolved.tcp.map((gate) => gate.port)].filter(
    (p) => p !== undefined && p !== 0,
  );
  const twice = ports.find((p, index) => ports.indexOf(p) !== index);
  if (twice !== undefined) throw invalid(`port ${twice} is configured twice; each transport needs a port of its own`);
  return resolved;
}

function record(name: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${name} must be an object, got ${describeValue(value)}`);
  }
  rejectUnknownKeys(name, value, known);
  return value as Record<string, unknown>;
}

function port(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw invalid(`${name} is ${describeValue(value)}; it must be a port from 1 to 65535 (0: any free port)`);
  }
  return value;
}

function host(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`${name} must be a host name or address, got ${describeValue(value)}`);
  }
  return value;
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

function probe(name: string, value: unknown): ProbeName {
  if (value === undefined) return 'liveness';
  if (!isProbeName(value)) throw invalid(`${name} is ${describeValue(value)}; use one of ${PROBES.join(', ')}`);
  return value;
}

function interval(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_INTERVAL_MS || value > MAX_TIMER_MS) {
    throw invalid(
      `${name} is ${describeValue(value)}; it must be an integer from ${MIN_INTERVAL_MS} to ${MAX_TIMER_MS} ms`,
    );
  }
  return value;
}

function filePath(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isAbsolute(value) || value.includes('\0') || value.endsWith('/')) {
    throw invalid(`${name} must be an absolute file path, got ${describeValue(value)}`);
  }
  return value;
}

function invalid(message: string): HealthsockError {
  return new HealthsockError('ERR_INVALID_OPTION', message);
}
