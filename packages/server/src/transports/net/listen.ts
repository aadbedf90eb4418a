import type net from 'node:net';

/**
 * Makes `server` listen on `target`. A failure rejects with `translate(error)`, so that each
 * transport can name what the user configured; the server is then not listening.
 */
export function listen(
  server: net.Server,
  target: string | net.ListenOptions,
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
    server.listen(target);
  });
}
