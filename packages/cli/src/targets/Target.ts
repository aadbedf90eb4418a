import type { ProbeName, ProbeReply, SocketAddress } from '@healthsock/server/protocol';

/** A target's answer as a reply; a failing foreign HTTP service adds the first line of its body, for `-v`. */
export type TargetReply = ProbeReply & { body?: string };

/** What a probe asks: a healthsock worker's socket, an HTTP(S) URL, a TCP port or a heartbeat file. */
export type Target = SocketTarget | HttpTarget | TcpTarget | FileTarget | GrpcTarget;

/** `display` is how every message names the target. */
export interface SocketTarget {
  kind: 'unix';
  display: string;
  address: SocketAddress;
}

export interface HttpTarget {
  kind: 'http';
  display: string;
  /** The URL to GET, its path already chosen for the probe when the user gave none. */
  url: URL;
}

export interface TcpTarget {
  kind: 'tcp';
  display: string;
  /** Without the brackets of an IPv6 literal. */
  host: string;
  port: number;
}

/**
 * A `grpc.health.v1.Health` server: `grpc://` in plaintext HTTP/2, `grpcs://` over TLS without
 * verification. Only the URL is read up front; targets/grpcTarget.ts reads the rest.
 */
export interface GrpcTarget {
  kind: 'grpc';
  display: string;
  url: URL;
  /** The probe asked, whose name is the service when the URL names none. */
  probe: ProbeName;
}

export interface FileTarget {
  kind: 'file';
  display: string;
  path: string;
}

/** One probe of one target: the same for every kind, so that a loop can call it again and again. */
export interface TargetRequest {
  probe: ProbeName;
  /**
   * Whether the command named the probe. A `file:` heartbeat names its own: when the command
   * named none, the file's is used; when it named another, the probe fails.
   */
  probeGiven: boolean;
  /** When the whole exchange must be over, on the `performance.now()` clock. */
  deadline: number;
  /** The whole timeout as the user gave it, for messages. */
  timeoutMs: number;
  /** `file:` targets: how old the heartbeat may be. */
  maxAgeMs: number;
  /** Ask for the per-check detail where that costs the target something (`-v`, `--json`). */
  detail: boolean;
  /** `grpc://` targets: metadata sent with the call, `--header 'name: value'` as given. */
  headers?: readonly string[] | undefined;
}
