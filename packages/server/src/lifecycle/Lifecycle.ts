/**
 * Where a server is in its life. `starting` and `closing` are the waits between the others; a
 * `draining` server is listening, with a shutdown under way that will close it.
 */
export type LifecycleState = 'idle' | 'starting' | 'listening' | 'draining' | 'closing' | 'closed';

/** What the lifecycle runs at each transition; it does no I/O of its own. */
export interface LifecycleSteps<Running> {
  /** Starts everything, all or nothing: a rejection leaves nothing running. */
  start(): Promise<Running>;
  /** Stops what `start` returned, or, with `undefined`, what runs without a start (a close before any listen). */
  stop(running: Running | undefined): Promise<void>;
  /** The error for a `listen()` while the server is starting or listening already. */
  alreadyListening(): Error;
  /** How long a shutdown drains before it closes, in ms. */
  drainDelayMs: number;
}

/**
 * The server's lifecycle as one explicit state: idle → starting → listening → draining →
 * closing → closed, and from closed (or idle, after a failed start) back to starting.
 *
 * - `listen()` while starting, listening or draining rejects; while closing, it waits for the
 *   close to finish and then starts again, as `net.Server` allows `close(); listen()`.
 * - `close()` during a start waits for it and then stops what it started. Every call made while a
 *   close is in progress gets that close's promise.
 * - `shutdown()` starts the drain once; every later call returns that same promise.
 */
export class Lifecycle<Running> {
  readonly #steps: LifecycleSteps<Running>;
  #state: LifecycleState = 'idle';
  /** What the last successful start returned, until a close takes it. */
  #running: Running | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(steps: LifecycleSteps<Running>) {
    this.#steps = steps;
  }

  get state(): LifecycleState {
    return this.#state;
  }

  listen(): Promise<void> {
    if (this.#closing) return this.#closing.catch(() => undefined).then(() => this.listen());
    if (this.#state === 'starting' || this.#state === 'listening' || this.#state === 'draining') {
      return Promise.reject(this.#steps.alreadyListening());
    }
    this.#state = 'starting';
    this.#starting = this.#steps
      .start()
      .then(
        (running) => {
          this.#running = running;
          // A close called meanwhile has moved the state on already; it stops what just started.
          if (this.#state === 'starting') this.#state = 'listening';
        },
        (error: unknown) => {
          if (this.#state === 'starting') this.#state = 'idle';
          throw error;
        },
      )
      .finally(() => {
        this.#starting = undefined;
      });
    return this.#starting;
  }

  shutdown(): Promise<void> {
    if (this.#shutdown) return this.#shutdown;
    this.#shutdown = delay(this.#steps.drainDelayMs).then(() => this.close());
    if (this.#state === 'listening') this.#state = 'draining';
    // A shutdown during the start drains the server the start is about to leave listening.
    else if (this.#state === 'starting') {
      this.#starting?.then(
        () => {
          if (this.#state === 'listening') this.#state = 'draining';
        },
        () => undefined,
      );
    }
    return this.#shutdown;
  }

  close(): Promise<void> {
    // Every caller, the second as well as the first, waits until the cleanup has finished.
    this.#closing ??= this.#close().finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    this.#running = undefined;
    try {
      await this.#steps.stop(running);
    } finally {
      this.#state = 'closed';
    }
  }
}

function delay(ms: number): Promise<void> {
  if (ms === 0) return Promise.resolve();
  // The drain waits for kubelet and the endpoints to notice; it must not hold the process open.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
