/** setTimeout fires at once for delays above this, so no timeout or interval may be longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
