/**
 * One way of answering probes (the Unix socket, HTTP, gRPC, a TCP gate, a heartbeat file). Each is
 * made by a factory of one shape, `(options, context)`: its own resolved options and the server's
 * `TransportContext`. `startTransports` starts them in order and `stopTransports` stops
 * them; none keeps the process alive.
 */
export interface Transport {
  /** Starts serving. A failure rejects and leaves nothing of this transport behind. */
  start(): Promise<void>;
  /** Stops serving and removes what `start` created. Safe to call when not started. */
  stop(): Promise<void>;
}
