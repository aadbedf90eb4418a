import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ExchangeOptions {
  /** End the request with a half-close (FIN) instead of leaving the write side open. */
  halfClose?: boolean;
  /** Give up (and reject, with what came so far) when the server has not closed by then. */
  timeoutMs?: number;
}

/**
 * Connects to a socket as a hand-written client, `socat` or a stranger would: sends `request` (or
 * nothing), optionally half-closes, and resolves with everything the server sent before it
 * closed the connection, and how long that took. Rejects on a connection error.
 */
export function exchange(
  path: string,
  request?: string | Uint8Array,
  options: ExchangeOptions = {},
): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const client = net.connect(path, () => {
      if (request === undefined) return;
      if (options.halfClose) client.end(request);
      else client.write(request);
    });
    let reply = '';
    client.on('data', (chunk) => (reply += chunk.toString()));
    client.on('close', () => resolve({ reply, ms: performance.now() - started }));
    client.on('error', reject);
    if (options.timeoutMs !== undefined) {
      setTimeout(() => {
        reject(new Error(`no close within ${options.timeoutMs} ms; got ${JSON.stringify(reply)}`));
        client.destroy();
      }, options.timeoutMs).unref();
    }
  });
}

/** The reply alone, for tests that read only that; rejects if the server has not closed within 5 s. */
export async function exchangeReply(
  path: string,
  request: string | Uint8Array,
  options: Pick<ExchangeOptions, 'halfClose'> = {},
): Promise<string> {
  return (await exchange(path, request, { timeoutMs: 5000, ...options })).reply;
}
