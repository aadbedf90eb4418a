import net from 'node:net';

/** Sends raw bytes to a socket and collects everything it answers until it closes. */
export function exchange(
  path: string,
  request: string | Buffer,
  options: { halfClose?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    let reply = '';
    socket.on('connect', () => {
      if (options.halfClose) socket.end(request);
      else socket.write(request);
    });
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
    setTimeout(() => reject(new Error(`no close within 5 s; got ${JSON.stringify(reply)}`)), 5000).unref();
  });
}
