import { eventLoopDelay, heap, http, inflight, lanes, progress, tcp } from './checks/checks.js';
/**
 * The built-in checks. A frozen object rather than `export * as`: esbuild's helper for a namespace
 * would be a file of its own that every lazily loaded part (transports, metrics) imports.
 */
export const checks = Object.freeze({ eventLoopDelay, heap, http, inflight, lanes, progress, tcp });
export type { EventLoopDelayCheck, EventLoopDelayOptions } from './checks/eventLoopDelay.js';
export type { HeapOptions } from './checks/heap.js';
export type { HttpCheckOptions } from './checks/http.js';
export type { DoneFunction, InflightCheck, InflightOptions } from './checks/inflight.js';
export type { Lane, LanesCheck, LanesOptions } from './checks/lanes.js';
export type { ProgressCheck, ProgressOptions } from './checks/progress.js';
export type { TcpCheckOptions } from './checks/tcp.js';
export { createHealthServer } from './createHealthServer.js';
export type { ChangeEvent, ChangeListener, ErrorListener, HealthLogger } from './events/HealthEvents.js';
export type { HealthServer, HealthServerOptions } from './HealthServer.js';
export { HealthsockError } from './model/HealthsockError.js';
export type { HealthsockErrorCode } from './model/HealthsockError.js';
export { PROBES } from './model/probes.js';
export type { ProbeName } from './model/probes.js';
export type { CheckReport, ProbeReport } from './model/reports.js';
export type { Status } from './model/statuses.js';
export { DEFAULT_SOCKET_PATH } from './model/defaultSocketPath.js';
export type { EvaluateOptions, Redact } from './registry/Registry.js';
export type { CheckContext, CheckOptions, CheckResult, HealthCheck } from './registry/types.js';
export type { GrpcOptions, HeartbeatOptions, HttpOptions, TcpGateOptions } from './transports/TransportOptions.js';
export type { HttpPaths } from './transports/http/resolveHttpRoutes.js';
export type {
  GrpcHealthService,
  GrpcJsCall,
  GrpcJsCallback,
  GrpcJsMethodDefinition,
  GrpcJsStreamingCall,
} from './transports/grpc/createGrpcHealthService.js';
