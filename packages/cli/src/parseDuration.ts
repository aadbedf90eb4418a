import { ProbeError } from './client/ProbeError.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;
const MAX_MS = 3_600_000;

/** Parses `800ms` or `2s` into milliseconds. A bare number is refused: its unit would be a guess. */
export function parseDuration(option: string, text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!(ms > 0 && ms <= MAX_MS)) {
    throw new ProbeError(
      'usage',
      `${option} ${JSON.stringify(text)} is not a duration from 1ms to 3600s; write e.g. 800ms or 2s`,
    );
  }
  return Math.ceil(ms);
}
