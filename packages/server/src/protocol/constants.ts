/** The protocol version that every reply carries as `v`. */
export const PROTOCOL_VERSION = 1;

/** The longest request line a server reads, newline excluded. */
export const MAX_REQUEST_BYTES = 4096;

/** The longest deadline a request may carry, and the CLI accept: anything longer is a typo. */
export const MAX_DEADLINE_MS = 3_600_000;

/** Where server and CLI meet unless told otherwise. */
export const DEFAULT_SOCKET_PATH = '/tmp/healthsock.sock';

/** The socket path from `$HEALTHSOCK_SOCKET`, where set and not empty, else the default. */
export function defaultSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.HEALTHSOCK_SOCKET || DEFAULT_SOCKET_PATH;
}

/** The kinds of Kubernetes probe a server answers. */
export const PROBES = ['liveness', 'readiness', 'startup'] as const;

export type ProbeName = (typeof PROBES)[number];

/** Outcomes of a check or a probe, from best to worst. */
export const STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;

export type Status = (typeof STATUSES)[number];

/** The request of the hand-written `hc` check scripts: answered with the single byte `0` or `1`. */
export const COMPAT_REQUEST = 'hc';

/**
 * The sun_path of a Unix socket address holds 108 bytes including a terminating NUL, so 107
 * are usable; an abstract name spends its first byte on the leading NUL instead.
 */
export const MAX_SOCKET_PATH_BYTES = 107;

export function isProbeName(value: unknown): value is ProbeName {
  return (PROBES as readonly unknown[]).includes(value);
}

export function isStatus(value: unknown): value is Status {
  return (STATUSES as readonly unknown[]).includes(value);
}
