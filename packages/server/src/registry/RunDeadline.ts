/** A run as its deadline sees it (a `CheckRun`). */
interface TimedRun {
  timeOut(): void;
}

/**
 * The one timer that ends, at their `timeoutMs`, the check runs that one evaluation starts with
 * that limit. They start in the same turn, so they would reach it together anyway; one timer
 * rather than one per run is what keeps an evaluation of many checks cheap. It is cleared once
 * every run has reported, so a worker that stops probing holds no timer.
 */
export class RunDeadline {
  readonly timeoutMs: number;
  readonly #runs: TimedRun[] = [];
  #pending = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
    this.#timer = setTimeout(() => {
      for (const run of this.#runs) run.timeOut();
    }, timeoutMs).unref();
  }

  /** Puts a run under this deadline; it must call {@link reported} once its report is in. */
  add(run: TimedRun): void {
    this.#runs.push(run);
    this.#pending++;
  }

  /** One run's report is in, by its check or by this deadline. */
  reported(): void {
    if (--this.#pending === 0) clearTimeout(this.#timer);
  }
}
