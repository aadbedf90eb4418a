/**
 * Every way a probe can fail, named. The CLI's first stderr line starts with the class, so a
 * person reading pod events knows at once what went wrong.
 */
export type FailureClass = 'timeout' | 'refused' | 'no-socket' | 'unhealthy' | 'bad-reply' | 'usage';

/** A failed probe: `code` is its class, and the message names the socket and the value. */
export class ProbeError extends Error {
  readonly code: FailureClass;

  constructor(code: FailureClass, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
  }
}
