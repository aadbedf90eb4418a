/**
 * The shape of every error healthsock makes, server and CLI alike: a stable `code` to match on,
 * a message that names the thing and the value, and the `cause`. Each package names its own
 * codes (`HealthsockError`, the CLI's `ProbeError`).
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(name: string, code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.code = code;
  }
}
