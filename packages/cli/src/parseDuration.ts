import { MAX_DEADLINE_MS } from '@healthsock/server/protocol';
import { ProbeError } from './client/ProbeError.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;

/** Parses `800ms` or `2s` into milliseconds. A bare number is refused: its unit would be a guess. */
export function parseDuration(option: string, text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!(ms > 0 && ms <= MAX_DEADLINE_MS)) {
    throw new ProbeError(
      'usage',
      `${option} ${JSON.stringify(text)} is not a duration from 1ms to 3600s; write e.g. 800ms or 2s`,
    );
  }
  return Math.ceil(ms);
}
