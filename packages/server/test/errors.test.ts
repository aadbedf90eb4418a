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
  it('has templates for every public code, and only for public codes', () => {
    expect(Object.keys(ERRORS).sort()).toEqual(Object.keys(CODES).sort());
    for (const templates of Object.values(ERRORS)) expect(Object.keys(templates).length).toBeGreaterThan(0);
  });

  it('builds a HealthsockError with the code, the message from its template, and the cause', () => {
    const cause = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const error = healthsockError('ERR_PORT_IN_USE', 'port', ['HTTP port 9000'], { cause });
    expect(error).toBeInstanceOf(HealthsockError);
    expect(error).toMatchObject({
      name: 'HealthsockError',
      code: 'ERR_PORT_IN_USE',
      message: 'HTTP port 9000 is in use: another process is listening on it',
      cause,
    });
    expect('cause' in healthsockError('ERR_DUPLICATE_CHECK', 'name', ['db'])).toBe(false);
  });

  it('words each message as its template says', () => {
    expect(healthsockError('ERR_DUPLICATE_CHECK', 'name', ['db']).message).toBe(
      'a check named "db" is already registered',
    );
    expect(healthsockError('ERR_ALREADY_LISTENING', 'server', [' on /tmp/h.sock']).message).toBe(
      'health server is already listening on /tmp/h.sock',
    );
    expect(healthsockError('ERR_SOCKET_PATH_NOT_SOCKET', 'other', ['/tmp/h.sock', 'a regular file']).message).toBe(
      'socket path /tmp/h.sock is a regular file; refusing to replace it (remove it, or choose another socketPath)',
    );
    expect(
      healthsockError('ERR_SOCKET_PERMISSION', 'denied', ['/run/h.sock', 'permission denied', '/run']).message,
    ).toBe('cannot create socket /run/h.sock: permission denied in /run');
    expect(healthsockError('ERR_CHECK_TIMEOUT', 'check', [2000]).message).toBe('timed out after 2000 ms');
    expect(healthsockError('ERR_LISTENER_FAILED', 'listener', ['change', 'boom']).message).toBe(
      "healthsock: a 'change' listener failed: boom",
    );
    expect(healthsockError('ERR_SHUTDOWN_FAILED', 'signal', ['SIGTERM', 'boom']).message).toBe(
      'healthsock: shutdown on SIGTERM failed: boom',
    );
  });

  it('words a fault that is retried with its own code and the error underneath as the cause', () => {
    const cause = new Error('EACCES');
    const fault = healthsockError('ERR_HEARTBEAT_FILE', 'write', ['/tmp/alive', 'permission denied'], { cause });
    expect(retryingError(fault, 5000, cause)).toMatchObject({
      code: 'ERR_HEARTBEAT_FILE',
      message: 'healthsock: cannot write heartbeat /tmp/alive: permission denied; retrying every 5000 ms',
      cause,
    });
  });
});
