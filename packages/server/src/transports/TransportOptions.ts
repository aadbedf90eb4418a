import type { ProbeName } from '../model/probes.js';
import type { HttpPaths } from './http/resolveHttpRoutes.js';

/** HTTP endpoints on a port of their own, for kubelet's `httpGet`. */
export interface HttpOptions {
  /** The TCP port, 1–65535; 0 lets the system pick a free one (read it from `health.ports`). */
  port: number;
  /** The address to listen on. Default: every address, since kubelet probes the pod's IP. */
  host?: string | undefined;
  /**
   * The paths of each probe; a probe not given keeps its defaults: liveness `/livez`, `/healthz`;
   * readiness `/readyz`, `/ready`; startup `/startupz`, `/health/startup`. `/health` answers the
   * probe named by an `X-Probe` header (liveness without one) unless it is given here.
   */
  paths?: HttpPaths | undefined;
  /**
   * Show check messages to every client. Default false: the port is reachable from the whole
   * cluster, so only loopback clients see them, and others read `reason withheld`.
   */
  details?: boolean | undefined;
  /**
   * Serve `/metrics`: every check's latest result in the Prometheus text format. A scrape never
   * runs a check, and messages are never in metrics. Default false; its code loads only when on.
   */
  metrics?: boolean | undefined;
}

/** A TCP port that listens only while a probe passes, for `tcpSocket` probes. */
export interface TcpGateOptions {
  /** The TCP port, 1–65535; 0 lets the system pick one at the first opening, kept afterwards. */
  port: number;
  /** The address to listen on. Default: every address. */
  host?: string | undefined;
  /** The probe the port reflects. Default `liveness`. */
  probe?: ProbeName | undefined;
  /** How often the probe is evaluated, in ms; at least 100. Default 1000. */
  intervalMs?: number | undefined;
}

/** A file that exists, freshly written, only while a probe passes. */
export interface HeartbeatOptions {
  /** An absolute path. Its directory must exist; a symlink or a file healthsock did not write is refused. */
  path: string;
  /** The probe the file reflects. Default `liveness`. */
  probe?: ProbeName | undefined;
  /** How often the probe is evaluated and the file rewritten, in ms; at least 100. Default 5000. */
  intervalMs?: number | undefined;
}

/** `grpc.health.v1.Health` over plaintext HTTP/2 (h2c) on a port of its own, for kubelet's `grpc` probe. */
export interface GrpcOptions {
  /** The TCP port, 1–65535; 0 lets the system pick a free one (read it from `health.ports`). */
  port: number;
  /** The address to listen on. Default: every address, since kubelet probes the pod's IP. */
  host?: string | undefined;
  /**
   * Show check messages (in `grpc-message`) to every client. Default false: the port is reachable
   * from the whole cluster, so only loopback clients see them, and others read `reason withheld`.
   */
  details?: boolean | undefined;
  /** How often a probe is evaluated while a `Watch` of it is open, in ms; at least 100. Default 1000. */
  intervalMs?: number | undefined;
}
