import { HealthsockError, type HealthsockErrorCode } from './HealthsockError.js';

/** A message template: the values a message names, in, and the message, out. */
type Template = (...args: never[]) => string;

/**
 * Every error `@healthsock/server` raises, by code: each code with the templates of its messages,
 * worded in one place. A code may be raised for several reasons (a socket can be in use in more
 * than one way), so each template has a name. Messages name the thing and the value. A refused
 * option is worded by the validators (`options/validators.ts`): the option, its value as given,
 * and what it must be.
 */
export const ERRORS = {
  ERR_INVALID_OPTION: { option: (detail: string) => detail },
  ERR_DUPLICATE_CHECK: {
    name: (name: string) => `a check named ${JSON.stringify(name)} is already registered`,
  },
  ERR_SOCKET_PATH_TOO_LONG: {
    path: (reason: string) => reason,
    directory: (directory: string, maxBytes: number) =>
      `socket directory ${directory} leaves no room for a temporary name within ${maxBytes} bytes; use a shorter directory`,
  },
  ERR_SOCKET_PATH_NOT_SOCKET: {
    other: (path: string, kind: string) =>
      `socket path ${path} is ${kind}; refusing to replace it (remove it, or choose another socketPath)`,
  },
  ERR_SOCKET_IN_USE: {
    locked: (path: string, lock: string) => `socket path ${path} is locked by another server (${lock})`,
    path: (path: string) => `socket path ${path} is in use: another server is listening on it`,
    address: (display: string) => `socket ${display} is in use: another server is listening on it`,
    notRefusing: (path: string, waitedMs: number) =>
      `socket path ${path} exists and did not refuse a connection within ${waitedMs} ms; refusing to replace it`,
    appeared: (path: string) => `socket path ${path} appeared while this server was binding; refusing to replace it`,
  },
  ERR_SOCKET_DIRECTORY_MISSING: {
    notDirectory: (path: string, directory: string) => `cannot create socket ${path}: ${directory} is not a directory`,
    missing: (path: string, directory: string) => `cannot create socket ${path}: directory ${directory} does not exist`,
  },
  ERR_SOCKET_PERMISSION: {
    denied: (path: string, reason: string, directory: string) =>
      `cannot create socket ${path}: ${reason} in ${directory}`,
  },
  ERR_SOCKET_LISTEN: {
    socket: (path: string, reason: string) => `cannot listen on socket ${path}: ${reason}`,
    server: (where: string, reason: string) => `cannot start the health server${where}: ${reason}`,
  },
  ERR_PORT_IN_USE: { port: (what: string) => `${what} is in use: another process is listening on it` },
  ERR_PORT_LISTEN: {
    port: (what: string, reason: string) => `cannot listen on ${what}: ${reason}`,
    other: (reason: string) => reason,
    probe: (name: string, probe: string, reason: string) =>
      `healthsock: the ${name}'s ${probe} probe failed: ${reason}`,
  },
  ERR_HEARTBEAT_FILE: {
    foreign: (path: string) => `heartbeat path ${path} holds something this server did not write; leaving it alone`,
    noDirectory: (directory: string) => `heartbeat directory ${directory} does not exist`,
    refused: (path: string, kind: string) =>
      `heartbeat path ${path} is ${kind}; refusing to replace it (remove it, or choose another path)`,
    write: (path: string, reason: string) => `cannot write heartbeat ${path}: ${reason}`,
    probe: (name: string, probe: string, reason: string) =>
      `healthsock: the ${name}'s ${probe} probe failed: ${reason}`,
  },
  ERR_ALREADY_LISTENING: { server: (where: string) => `health server is already listening${where}` },
  ERR_CHECK_TIMEOUT: { check: (timeoutMs: number) => `timed out after ${timeoutMs} ms` },
  ERR_LISTENER_FAILED: {
    listener: (event: string, reason: string) => `healthsock: a '${event}' listener failed: ${reason}`,
  },
  ERR_SHUTDOWN_FAILED: {
    signal: (signal: string, reason: string) => `healthsock: shutdown on ${signal} failed: ${reason}`,
  },
  ERR_GRPC_FAILED: {
    answer: (details: string) => details,
    watch: (probe: string, reason: string) => `healthsock: watching the ${probe} probe failed: ${reason}`,
  },
} as const satisfies { [C in HealthsockErrorCode]: Record<string, Template> };

type Catalogue = typeof ERRORS;

/** The values template `K` of code `C` names. */
export type TemplateArgs<C extends HealthsockErrorCode, K extends keyof Catalogue[C]> = Catalogue[C][K] extends (
  ...args: infer A
) => string
  ? A
  : never;

/**
 * The one way to build a {@link HealthsockError}: `code`, its message from template `kind` and
 * `args`, and the `cause` (the error underneath) when there is one.
 */
export function healthsockError<C extends HealthsockErrorCode, K extends keyof Catalogue[C]>(
  code: C,
  kind: K,
  args: TemplateArgs<C, K>,
  options?: { cause?: unknown },
): HealthsockError {
  const template = ERRORS[code][kind] as (...given: unknown[]) => string;
  return new HealthsockError(code, template(...(args as unknown[])), options);
}

/**
 * `fault` again as a fault that is retried every `intervalMs` rather than fatal, with its code: a
 * gate's port or a heartbeat's file that cannot be had now may be free at the next tick.
 */
export function retryingError(fault: HealthsockError, intervalMs: number, cause: unknown): HealthsockError {
  return new HealthsockError(fault.code, `healthsock: ${fault.message}; retrying every ${intervalMs} ms`, { cause });
}
