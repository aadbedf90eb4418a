import { HealthsockError, type HealthsockErrorCode } from './HealthsockError.js';

/** One kind of error: the stable code callers match on, and how its message is worded. */
interface ErrorKind {
  readonly code: HealthsockErrorCode;
  readonly message: (...args: never[]) => string;
}

/**
 * Every error `@healthsock/server` raises: its code and its message template, worded in one place.
 * A code may have several kinds (a socket can be in use in more than one way); a kind has one code.
 * Messages name the thing and the value; the wording of a refused option comes from the
 * validators (`options/validators.ts`), which say what the option is and what it must be.
 */
export const ERRORS = {
  invalidOption: { code: 'ERR_INVALID_OPTION', message: (detail: string) => detail },
  duplicateCheck: {
    code: 'ERR_DUPLICATE_CHECK',
    message: (name: string) => `a check named ${JSON.stringify(name)} is already registered`,
  },
  socketPathTooLong: { code: 'ERR_SOCKET_PATH_TOO_LONG', message: (reason: string) => reason },
  socketDirectoryTooLong: {
    code: 'ERR_SOCKET_PATH_TOO_LONG',
    message: (directory: string, maxBytes: number) =>
      `socket directory ${directory} leaves no room for a temporary name within ${maxBytes} bytes; use a shorter directory`,
  },
  socketPathNotSocket: {
    code: 'ERR_SOCKET_PATH_NOT_SOCKET',
    message: (path: string, kind: string) =>
      `socket path ${path} is ${kind}; refusing to replace it (remove it, or choose another socketPath)`,
  },
  socketLocked: {
    code: 'ERR_SOCKET_IN_USE',
    message: (path: string, lock: string) => `socket path ${path} is locked by another server (${lock})`,
  },
  socketPathInUse: {
    code: 'ERR_SOCKET_IN_USE',
    message: (path: string) => `socket path ${path} is in use: another server is listening on it`,
  },
  socketInUse: {
    code: 'ERR_SOCKET_IN_USE',
    message: (display: string) => `socket ${display} is in use: another server is listening on it`,
  },
  socketNotRefusing: {
    code: 'ERR_SOCKET_IN_USE',
    message: (path: string, waitedMs: number) =>
      `socket path ${path} exists and did not refuse a connection within ${waitedMs} ms; refusing to replace it`,
  },
  socketAppeared: {
    code: 'ERR_SOCKET_IN_USE',
    message: (path: string) => `socket path ${path} appeared while this server was binding; refusing to replace it`,
  },
  socketParentNotDirectory: {
    code: 'ERR_SOCKET_DIRECTORY_MISSING',
    message: (path: string, directory: string) => `cannot create socket ${path}: ${directory} is not a directory`,
  },
  socketDirectoryMissing: {
    code: 'ERR_SOCKET_DIRECTORY_MISSING',
    message: (path: string, directory: string) => `cannot create socket ${path}: directory ${directory} does not exist`,
  },
  socketPermission: {
    code: 'ERR_SOCKET_PERMISSION',
    message: (path: string, reason: string, directory: string) =>
      `cannot create socket ${path}: ${reason} in ${directory}`,
  },
  socketListen: {
    code: 'ERR_SOCKET_LISTEN',
    message: (path: string, reason: string) => `cannot listen on socket ${path}: ${reason}`,
  },
  serverListen: {
    code: 'ERR_SOCKET_LISTEN',
    message: (where: string, reason: string) => `cannot start the health server${where}: ${reason}`,
  },
  alreadyListening: {
    code: 'ERR_ALREADY_LISTENING',
    message: (where: string) => `health server is already listening${where}`,
  },
  portInUse: {
    code: 'ERR_PORT_IN_USE',
    message: (what: string) => `${what} is in use: another process is listening on it`,
  },
  portListen: {
    code: 'ERR_PORT_LISTEN',
    message: (what: string, reason: string) => `cannot listen on ${what}: ${reason}`,
  },
  gateFailed: { code: 'ERR_PORT_LISTEN', message: (reason: string) => reason },
  gateProbeFailed: {
    code: 'ERR_PORT_LISTEN',
    message: (probe: string, reason: string) => `healthsock: the TCP gate's ${probe} probe failed: ${reason}`,
  },
  heartbeatForeign: {
    code: 'ERR_HEARTBEAT_FILE',
    message: (path: string) => `heartbeat path ${path} holds something this server did not write; leaving it alone`,
  },
  heartbeatDirectoryMissing: {
    code: 'ERR_HEARTBEAT_FILE',
    message: (directory: string) => `heartbeat directory ${directory} does not exist`,
  },
  heartbeatRefused: {
    code: 'ERR_HEARTBEAT_FILE',
    message: (path: string, kind: string) =>
      `heartbeat path ${path} is ${kind}; refusing to replace it (remove it, or choose another path)`,
  },
  heartbeatWrite: {
    code: 'ERR_HEARTBEAT_FILE',
    message: (path: string, reason: string) => `cannot write heartbeat ${path}: ${reason}`,
  },
  heartbeatProbeFailed: {
    code: 'ERR_HEARTBEAT_FILE',
    message: (probe: string, reason: string) => `healthsock: the heartbeat's ${probe} probe failed: ${reason}`,
  },
  checkTimeout: { code: 'ERR_CHECK_TIMEOUT', message: (timeoutMs: number) => `timed out after ${timeoutMs} ms` },
  listenerFailed: {
    code: 'ERR_LISTENER_FAILED',
    message: (event: string, reason: string) => `healthsock: a '${event}' listener failed: ${reason}`,
  },
  shutdownFailed: {
    code: 'ERR_SHUTDOWN_FAILED',
    message: (signal: string, reason: string) => `healthsock: shutdown on ${signal} failed: ${reason}`,
  },
  grpcCannotAnswer: { code: 'ERR_GRPC_FAILED', message: (details: string) => details },
  grpcWatchFailed: {
    code: 'ERR_GRPC_FAILED',
    message: (probe: string, reason: string) => `healthsock: watching the ${probe} probe failed: ${reason}`,
  },
} as const satisfies Record<string, ErrorKind>;

export type ErrorKindName = keyof typeof ERRORS;

/**
 * The one way to build a {@link HealthsockError}: the kind's code and its message from `args`,
 * with the `cause` (the error underneath) when there is one.
 */
export function healthsockError<K extends ErrorKindName>(
  kind: K,
  args: Parameters<(typeof ERRORS)[K]['message']>,
  options?: { cause?: unknown },
): HealthsockError {
  const { code, message } = ERRORS[kind] as ErrorKind;
  return new HealthsockError(code, (message as (...given: unknown[]) => string)(...args), options);
}

/**
 * `fault` again as a fault that is retried every `intervalMs` rather than fatal, with its code: a
 * gate's port or a heartbeat's file that cannot be had now may be free at the next tick.
 */
export function retryingError(fault: HealthsockError, intervalMs: number, cause: unknown): HealthsockError {
  return new HealthsockError(fault.code, `healthsock: ${fault.message}; retrying every ${intervalMs} ms`, { cause });
}
