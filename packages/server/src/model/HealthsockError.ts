import { CodedError } from './CodedError.js';

/**
 * Stable codes for every error `@healthsock/server` throws. Match on `error.code`, never on
 * the message: messages name the values involved and may change.
 */
export type HealthsockErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_DUPLICATE_CHECK'
  | 'ERR_SOCKET_PATH_TOO_LONG'
  | 'ERR_SOCKET_PATH_NOT_SOCKET'
  | 'ERR_SOCKET_IN_USE'
  | 'ERR_SOCKET_DIRECTORY_MISSING'
  | 'ERR_SOCKET_PERMISSION'
  | 'ERR_SOCKET_LISTEN'
  | 'ERR_PORT_IN_USE'
  | 'ERR_PORT_LISTEN'
  | 'ERR_HEARTBEAT_FILE'
  | 'ERR_ALREADY_LISTENING'
  | 'ERR_CHECK_TIMEOUT'
  | 'ERR_LISTENER_FAILED'
  | 'ERR_SHUTDOWN_FAILED'
  | 'ERR_GRPC_FAILED';

/** The one error class of `@healthsock/server`: a stable `code`, a message naming the value, and the `cause`. */
export class HealthsockError extends CodedError<HealthsockErrorCode> {
  constructor(code: HealthsockErrorCode, message: string, options?: { cause?: unknown }) {
    super('HealthsockError', code, message, options);
  }
}
