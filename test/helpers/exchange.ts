import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Connects to a socket as a hand-written client, `socat` or a stranger would: sends `request` (or
 * nothing), optionally half-closes, and resolves with everything the server sent before it
 * closed the connection, and how long that took. Rejects on a connection error.
 */
export function exchange(
  path: string,
  request?: string | Uint8Array,
  options: { halfClose?: boolean } = {},
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
  });
}
