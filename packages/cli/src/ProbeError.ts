/**
 * Every way a probe can fail, named. The CLI's first stderr line starts with the class, so a
 * person reading pod events knows at once what went wrong. `no-host` (a name that does not
 * resolve) and `no-file` (no heartbeat file) are the `no-socket` of the other targets.
 */
export type FailureClass =
  'timeout' | 'refused' | 'no-socket' | 'no-host' | 'no-file' | 'unhealthy' | 'bad-reply' | 'usage';

/** Marks a ProbeError whichever bundle file made it (see `Symbol.hasInstance` below). */
const BRAND = Symbol.for('healthsock.ProbeError');

/** A failed probe: `code` is its class, and the message names the target and the value. */
export class ProbeError extends Error {
  readonly code: FailureClass;

  constructor(code: FailureClass, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * The targets other than the Unix socket live in their own bundle files, loaded only when
   * used, and each holds its own copy of this class; `instanceof` accepts them all.
   */
  static override [Symbol.hasInstance](value: unknown): value is ProbeError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}
