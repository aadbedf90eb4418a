/** The `code` of a Node.js system error such as `EADDRINUSE`, if it has one. */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
