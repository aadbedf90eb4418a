import type { CheckContext, HealthCheck } from '../registry/types.js';
import { describeNetworkError } from './describeNetworkError.js';
import { validateNumber, validateCheckOptions, validateString, validateWhole } from '../options/validators.js';

export interface TcpCheckOptions {
  /** A host name or IP address. */
  host: string;
  port: number;
}

/**
 * A dependency check: healthy when a TCP connection to `host:port` opens within the check's
 * deadline (its `timeoutMs`). The connection is closed at once, and destroyed when the deadline
 * passes first, so no socket outlives a run.
 */
/** Every key of {@link TcpCheckOptions}: any other is a typo, refused with a suggestion. */
const TCP_CHECK_OPTION_KEYS = ['host', 'port'] as const;

export function tcp(options: TcpCheckOptions): HealthCheck {
  const { host, port } = validateCheckOptions('tcp', options, TCP_CHECK_OPTION_KEYS);
  validateString('checks.tcp: host', host);
  validateWhole('checks.tcp: port', validateNumber('checks.tcp: port', port, 1, 65535));
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;

  return async ({ signal }: CheckContext) => {
    // Loaded at the first run rather than with the package, which would otherwise load
    // `node:net` at import for a check that may never be used.
    const { connect } = await import('node:net');
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const socket = connect({ host, port });
      const onAbort = () => {
        socket.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => signal.removeEventListener('abort', onAbort));
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', (error) => {
        reject(new Error(describeNetworkError(error, host, target), { cause: error }));
      });
    });
  };
}
