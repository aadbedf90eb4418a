import type { ProbeName } from './probes.js';

/** setTimeout fires at once for delays above this, so no timeout or interval may be longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The socket file's permission bits unless given: only the worker's own user may probe. */
export const DEFAULT_SOCKET_MODE = 0o600;

/** Long enough to type a probe's name by hand. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** A burst of a thousand concurrent probes is answered, not refused: their work is shared. */
export const DEFAULT_MAX_CONNECTIONS = 1000;

/** Far beyond any file-descriptor limit: a larger cap is a typo. */
export const MAX_CONNECTIONS = 1_000_000;

/** The probes a check belongs to unless its `probes` says otherwise. */
export const DEFAULT_CHECK_PROBES: readonly ProbeName[] = ['startup', 'readiness'];

/** How long a check may run unless its `timeoutMs` says otherwise. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/** Names appear in every reply line and in pod events, so they stay short. */
export const MAX_CHECK_NAME_CHARS = 100;

/** The shortest interval of a gate, heartbeat or gRPC watch: each tick evaluates the probe. */
export const MIN_INTERVAL_MS = 100;

/** How often a TCP gate evaluates its probe unless given. */
export const DEFAULT_GATE_INTERVAL_MS = 1000;

/** How often the heartbeat evaluates its probe and rewrites its file unless given. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;

/** How often an open gRPC `Watch` evaluates its probe unless given. */
export const DEFAULT_GRPC_INTERVAL_MS = 1000;

/** The longest HTTP endpoint path. */
export const MAX_HTTP_PATH_CHARS = 200;

/** An hour: an event-loop delay, or a window to judge it over, beyond that is a typo. */
export const MAX_LOOP_DELAY_MS = 3_600_000;
