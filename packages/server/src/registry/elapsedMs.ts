import { nowMs } from '../shared/nowMs.js';

/** Milliseconds since `start` (a `nowMs()` reading), to a tenth: replies stay short. */
export function elapsedMs(start: number): number {
  return Math.round((nowMs() - start) * 10) / 10;
}
