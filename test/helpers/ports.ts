// TCP ports for tests: one the kernel just chose and closed again, one from a range (for servers
// that also open port + 10000), and a listener on a port the kernel chooses.
import net from 'node:net';

/** A port on `host` that nothing listens on: the kernel chose it, and it has been closed again. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  const port = await listenOnFreePort(server, host);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A port on 127.0.0.1 that nothing listens on right now, from `min` up (so that port + 10000 fits too). */
export async function freePortBetween(min = 20_000, max = 29_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${min} and ${max}`);
}

/** Starts `server` listening on a port of `host` the kernel chooses, and resolves with that port. */
export async function listenOnFreePort(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
