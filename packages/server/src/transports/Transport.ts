/**
 * One way of answering probes (the Unix socket, HTTP, a TCP gate, a heartbeat file). The
 * composition root starts and stops every configured transport; none keeps the process alive.
 */
export interface Transport {
  /** Starts serving. A failure rejects and leaves nothing of this transport behind. */
  start(): Promise<void>;
  /** Stops serving and removes what `start` created. Safe to call when not started. */
  stop(): Promise<void>;
}
