/**
 * What an OS error code means, in the words an operator reads in a pod event: the one table for
 * the server's checks and transports and the CLI's targets. Each message puts the thing and the
 * value around these words (`connection refused by rabbitmq:5672`).
 */
const WORDS = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of its path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  EADDRINUSE: 'address in use',
  EAGAIN: 'its backlog is full',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'no route',
  ENETUNREACH: 'no route',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'DNS did not answer',
} as const satisfies Readonly<Record<string, string>>;

/** An OS error code the table has words for. */
export type OsErrorCode = keyof typeof WORDS;

/** The words for an OS error code (`EACCES`: `permission denied`), or `undefined` for a code not in the table. */
export function osErrorWords(code: OsErrorCode): string;
export function osErrorWords(code: unknown): string | undefined;
export function osErrorWords(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(WORDS, code) ? WORDS[code as OsErrorCode] : undefined;
}
