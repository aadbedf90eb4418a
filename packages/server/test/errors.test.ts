import { describe, expect, it } from 'vitest';
import { ERRORS, healthsockError, retryingError } from '../src/model/errors.js';
import { HealthsockError, type HealthsockErrorCode } from '../src/model/HealthsockError.js';

/** Every public code, as `HealthsockErrorCode` lists it; the record makes the compiler keep it complete. */
const CODES: Record<HealthsockErrorCode, true> = {
  ERR_INVALID_OPTION: true,
  ERR_DUPLICATE_CHECK: true,
  ERR_SOCKET_PATH_TOO_LONG: true,
  ERR_SOCKET_PATH_NOT_SOCKET: true,
  ERR_SOCKET_IN_USE: true,
  ERR_SOCKET_DIRECTORY_MISSING: true,
  ERR_SOCKET_PERMISSION: true,
  ERR_SOCKET_LISTEN: true,
  ERR_PORT_IN_USE: true,
  ERR_PORT_LISTEN: true,
  ERR_HEARTBEAT_FILE: true,
  ERR_ALREADY_LISTENING: true,
  ERR_CHECK_TIMEOUT: true,
  ERR_LISTENER_FAILED: true,
  ERR_SHUTDOWN_FAILED: true,
  ERR_GRPC_FAILED: true,
};

describe('the error catalogue', () => {
  it('has a message for every public code, and only public codes', () => {
    const cataloged = new Set(Object.values(ERRORS).map((kind) => kind.code));
    expect([...cataloged].sort()).toEqual(Object.keys(CODES).sort());
  });

  it('builds a HealthsockError with the kind’s code, its message, and the cause', () => {
    const cause = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const error = healthsockError('portInUse', ['HTTP port 9000'], { cause });
    expect(error).toBeInstanceOf(HealthsockError);
    expect(error).toMatchObject({
      name: 'HealthsockError',
      code: 'ERR_PORT_IN_USE',
      message: 'HTTP port 9000 is in use: another process is listening on it',
      cause,
    });
    expect('cause' in healthsockError('duplicateCheck', ['db'])).toBe(false);
  });

  it.each([
    ['duplicateCheck', ['db'], 'ERR_DUPLICATE_CHECK', 'a check named "db" is already registered'],
    [
      'alreadyListening',
      [' on /tmp/h.sock'],
      'ERR_ALREADY_LISTENING',
      'health server is already listening on /tmp/h.sock',
    ],
    [
      'socketPathNotSocket',
      ['/tmp/h.sock', 'a regular file'],
      'ERR_SOCKET_PATH_NOT_SOCKET',
      'socket path /tmp/h.sock is a regular file; refusing to replace it (remove it, or choose another socketPath)',
    ],
    [
      'socketPermission',
      ['/run/h.sock', 'permission denied', '/run'],
      'ERR_SOCKET_PERMISSION',
      'cannot create socket /run/h.sock: permission denied in /run',
    ],
    ['checkTimeout', [2000], 'ERR_CHECK_TIMEOUT', 'timed out after 2000 ms'],
    ['listenerFailed', ['change', 'boom'], 'ERR_LISTENER_FAILED', "healthsock: a 'change' listener failed: boom"],
    ['shutdownFailed', ['SIGTERM', 'boom'], 'ERR_SHUTDOWN_FAILED', 'healthsock: shutdown on SIGTERM failed: boom'],
  ] as const)('%s reads as its template says', (kind, args, code, message) => {
    expect(healthsockError(kind, args as never)).toMatchObject({ code, message });
  });

  it('words a fault that is retried with its own code and the error underneath as the cause', () => {
    const cause = new Error('EACCES');
    const fault = healthsockError('heartbeatWrite', ['/tmp/alive', 'permission denied'], { cause });
    expect(retryingError(fault, 5000, cause)).toMatchObject({
      code: 'ERR_HEARTBEAT_FILE',
      message: 'healthsock: cannot write heartbeat /tmp/alive: permission denied; retrying every 5000 ms',
      cause,
    });
  });
});
