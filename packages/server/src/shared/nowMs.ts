/**
 * The process's monotonic clock in milliseconds, from an origin taken when this module loads.
 *
 * Read from `process.hrtime` rather than `performance.now()`: the global `performance`, like
 * `node:perf_hooks`, loads a dozen of Node's internal modules on first use, several times what
 * the package's own code costs to import, for a clock that `process.hrtime` reads just as well.
 * Readings are only ever subtracted from one another, so the origin does not matter; keeping it
 * near zero keeps the nanoseconds exact in a double.
 */
const origin = process.hrtime.bigint();

export function nowMs(): number {
  return Number(process.hrtime.bigint() - origin) / 1e6;
}
