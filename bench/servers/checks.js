/**
 * The work every server does per probe: HS_BENCH_CHECKS (default 5) no-op async checks, the
 * same functions for every library, so that the tables compare what each library adds.
 */
export const checkCount = Number(process.env.HS_BENCH_CHECKS ?? 5);

/** @type {(() => Promise<undefined>)[]} */
export const checks = Array.from({ length: checkCount }, () => async () => undefined);

/** Runs every check, as a hand-written health endpoint would. */
export const runChecks = () => Promise.all(checks.map((check) => check()));
