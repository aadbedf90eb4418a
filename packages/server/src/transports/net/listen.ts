import type net from 'node:net';

/**
 * The queue of connections the kernel completes before the server accepts them. Node's default
 * of 511 overflows in a burst of a thousand concurrent probes while the event loop is busy, and
 * a full queue refuses a Unix-socket client at once (EAGAIN). The kernel caps it at somaxconn.
 */
const BACKLOG = 2048;

/**
 * Makes `server` listen on `target`. A failure rejects with `translate(error)`, so that each
 * transport can name what the user configured; the server is then not listening.
 */
export function listen(
  server: net.Server,
  target: { path: string } | { port: number; host?: string },
  translate: (error: unknown) => Error,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(translate(error));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ ...target, backlog: BACKLOG });
  });
}
