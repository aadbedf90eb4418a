import { MAX_DEADLINE_MS } from '../../wire/constants.js';

/** Milliseconds per unit of `grpc-timeout`: hours, minutes, seconds, milli-, micro- and nanoseconds. */
const UNITS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * A call's deadline from its `grpc-timeout` header (at most 8 digits and a unit, e.g. `800m`),
 * in ms, capped at the longest deadline a probe may carry; `undefined` without one, `null` when
 * it is unreadable.
 */
export function parseGrpcTimeout(value: string | string[] | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(value) : null;
  if (!match) return null;
  const ms = Number(match[1]) * (UNITS[match[2] as string] as number);
  // A deadline already past still gets an answer, however quick.
  return Math.min(Math.max(ms, 1), MAX_DEADLINE_MS);
}
