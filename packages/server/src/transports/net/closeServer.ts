import type net from 'node:net';

/** Stops `server` listening; resolves once its connections are gone (destroy them first). */
export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
