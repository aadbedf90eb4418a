/**
 * True when the command line asks for watch mode. It is the one test a one-shot probe makes for
 * it, so it lives apart from the watch code, which loads only when this is true.
 */
export function wantsWatch(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--watch' || arg.startsWith('--watch='));
}
