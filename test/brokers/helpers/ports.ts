import { createServer } from 'node:net';

/** A port on 127.0.0.1 that nothing listens on right now, from `min` up (so that port + 10000 fits too). */
export async function freePort(min = 20_000, max = 29_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${min} and ${max}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
