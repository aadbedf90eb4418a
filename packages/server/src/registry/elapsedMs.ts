import { performance } from 'node:perf_hooks';

/** Milliseconds since `start` (a `performance.now()` reading), to a tenth: replies stay short. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
