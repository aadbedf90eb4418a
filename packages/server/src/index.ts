export { createHealthServer } from './createHealthServer.js';
export type { HealthServer, HealthServerOptions } from './createHealthServer.js';
export { HealthsockError } from './HealthsockError.js';
export type { HealthsockErrorCode } from './HealthsockError.js';
export { DEFAULT_SOCKET_PATH, PROBES } from './protocol/constants.js';
export type { ProbeName, Status } from './protocol/constants.js';
export type { CheckReport, ProbeReport } from './protocol/reply.js';
export type { EvaluateOptions, Redact } from './registry/Registry.js';
export type { CheckContext, CheckOptions, CheckResult, HealthCheck } from './registry/types.js';
