import { CodedError } from '@healthsock/server/protocol';

/**
 * Every way a probe can fail, named. The CLI's first stderr line starts with the class, so a
 * person reading pod events knows at once what went wrong. `no-host` (a name that does not
 * resolve) and `no-file` (no heartbeat file) are the `no-socket` of the other targets.
 * `internal` is a fault of the CLI itself (a bug, or output it could not write), never a verdict
 * on the target.
 */
export type FailureClass =
  'timeout' | 'refused' | 'no-socket' | 'no-host' | 'no-file' | 'unhealthy' | 'bad-reply' | 'usage' | 'internal';

/** Marks a ProbeError whichever bundle file made it (see {@link isProbeError}). */
const BRAND = Symbol.for('healthsock.ProbeError');

/** A failed probe: `code` is its class, and the message names the target and the value. */
export class ProbeError extends CodedError<FailureClass> {
  constructor(code: FailureClass, message: string, options?: { cause?: unknown }) {
    super('ProbeError', code, message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether `value` is a {@link ProbeError}. Code that a probe loads only when needed lives in
 * bundle files of its own, each with its own copy of the class, so `instanceof` is not enough.
 */
export function isProbeError(value: unknown): value is ProbeError {
  return typeof value === 'object' && value !== null && BRAND in value;
}
