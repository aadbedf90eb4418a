import { ProbeError } from '../ProbeError.js';
import { parseDuration } from '../parseDuration.js';

/** `--watch` alone re-asks every second. */
export const DEFAULT_WATCH_INTERVAL_MS = 1000;
/** Faster than this would be a load test, not a watch. */
const MIN_WATCH_INTERVAL_MS = 100;

/**
 * Takes `--watch [interval]` (or `--watch=interval`) out of the command line, so that the
 * rest is read exactly as a one-shot probe's. The word after `--watch` is its interval only when
 * it starts with a digit: `--watch readiness` still names the probe.
 */
export function extractWatch(argv: readonly string[]): { intervalMs: number; rest: string[] } {
  const rest: string[] = [];
  let interval: string | undefined;
  let seen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg !== '--watch' && !arg.startsWith('--watch=')) {
      rest.push(arg);
      continue;
    }
    if (seen) throw new ProbeError('usage', 'give --watch once (see healthsock --help)');
    seen = true;
    if (arg.startsWith('--watch=')) interval = arg.slice('--watch='.length);
    else if (/^\d/.test(argv[i + 1] ?? '')) interval = argv[++i];
  }
  if (interval === undefined) return { intervalMs: DEFAULT_WATCH_INTERVAL_MS, rest };
  const intervalMs = parseDuration('--watch', interval);
  if (intervalMs < MIN_WATCH_INTERVAL_MS) {
    throw new ProbeError('usage', `--watch ${JSON.stringify(interval)} is shorter than ${MIN_WATCH_INTERVAL_MS}ms`);
  }
  return { intervalMs, rest };
}
