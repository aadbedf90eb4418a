import { nowMs } from '../shared/nowMs.js';

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
  #timer: NodeJS.Timeout | undefined;

  /** When the first run started, on the `nowMs()` clock: the limit counts from there. */
  readonly #startedAt = nowMs();

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** Puts a run under this deadline; it must call {@link reported} once its report is in. */
  add(run: TimedRun): void {
    this.#runs.push(run);
    this.#pending++;
  }

  /**
   * Starts the timer, once every run is added. Not before: a check that throws at once reports
   * while its evaluation is still adding runs, and it must not clear a timer the others need.
   * Runs that have all reported by now need no timer at all. It is due `timeoutMs` after the
   * first run started, however long the checks' synchronous parts took to start them all.
   */
  arm(): void {
    if (this.#pending === 0) return;
    const leftMs = Math.max(1, this.timeoutMs - (nowMs() - this.#startedAt));
    this.#timer = setTimeout(() => {
      for (const run of this.#runs) run.timeOut();
    }, leftMs).unref();
  }

  /** One run's report is in, by its check or by this deadline. */
  reported(): void {
    if (--this.#pending === 0 && this.#timer) clearTimeout(this.#timer);
  }
}
