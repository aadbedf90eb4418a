/** The protocol version that every reply carries as `v`. */
export const PROTOCOL_VERSION = 1;

/** The longest request line a server reads, newline excluded. */
export const MAX_REQUEST_BYTES = 4096;

/** The longest deadline a request may carry, and the CLI accept: anything longer is a typo. */
export const MAX_DEADLINE_MS = 3_600_000;

/** The request of the hand-written `hc` check scripts: answered with the single byte `0` or `1`. */
export const COMPAT_REQUEST = 'hc';
