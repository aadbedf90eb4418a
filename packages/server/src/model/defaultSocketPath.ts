/** Where server and CLI meet unless told otherwise. */
export const DEFAULT_SOCKET_PATH = '/tmp/healthsock.sock';

/**
 * The sun_path of a Unix socket address holds 108 bytes including a terminating NUL, so 107
 * are usable; an abstract name spends its first byte on the leading NUL instead.
 */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The socket path from `$HEALTHSOCK_SOCKET`, where set and not empty, else the default. */
export function defaultSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.HEALTHSOCK_SOCKET || DEFAULT_SOCKET_PATH;
}
