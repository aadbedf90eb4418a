import type { HealthsockError } from '../model/HealthsockError.js';
import type { Registry } from '../registry/Registry.js';
import type { GrpcHealth } from './grpc/createGrpcHealth.js';
import type { Connection, ConnectionPool } from './net/ConnectionPool.js';

/** Serves HTTP on an accepted connection; `received` is what was read of it already. */
export type ServeHttp = (connection: Connection, details: boolean, received?: Buffer) => void;

/**
 * What every transport is started with besides its own options: one server's registry,
 * connection pool and fault reporting, shared by all its transports.
 */
export interface TransportContext {
  /** The checks: every transport answers from this one registry. */
  registry: Registry;
  /** The connections of the socket, HTTP and gRPC, under one cap and one idle timeout. */
  pool: ConnectionPool;
  /** How long a connection may stay without a complete request (or, on gRPC, a call), in ms. */
  idleTimeoutMs: number;
  /** Where a transport reports a fault of its own: a port taken meanwhile, a file it cannot write. */
  fault: (error: HealthsockError) => void;
  /** The HTTP endpoints, on the HTTP port and on the socket alike. */
  serveHttp: ServeHttp;
  /** The gRPC health service, shared with the grpc-js adapter; its code loads at the first call. */
  grpcHealth: () => Promise<GrpcHealth>;
}
