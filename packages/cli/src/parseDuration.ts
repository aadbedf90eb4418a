import { MAX_DEADLINE_MS } from '@healthsock/server/protocol';
import { ProbeError } from './ProbeError.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses `800ms`, `2s`, `1m` or `1h` into milliseconds, at most `maxMs`. A bare number is
 * refused: its unit would be a guess.
 */
export function parseDuration(option: string, text: string, maxMs: number = MAX_DEADLINE_MS): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : Number.NaN;
  if (!(ms > 0 && ms <= maxMs)) {
    throw new ProbeError(
      'usage',
      `${option} ${JSON.stringify(text)} is not a duration from 1ms to ${maxMs / 1000}s; write e.g. 800ms or 2s`,
    );
  }
  return Math.ceil(ms);
}
