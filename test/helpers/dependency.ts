// A stand-in for the service a worker depends on: a real TCP listener on 127.0.0.1 that can be
// taken down and brought back on the same port.
import net from 'node:net';

export interface Dependency {
  readonly host: string;
  readonly port: number;
  up(): Promise<void>;
  /** Stops listening and drops open connections: new connections are refused. */
  down(): Promise<void>;
}

/** Reserves a free port and starts down, or up if `initially` says so. */
export async function createDependency(initially: 'up' | 'down'): Promise<Dependency> {
  const host = '127.0.0.1';
  let server: net.Server | undefined;
  const connections = new Set<net.Socket>();
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const candidate = net.createServer((socket) => {
        connections.add(socket);
        socket.once('close', () => connections.delete(socket));
        socket.on('error', () => undefined);
      });
      candidate.once('error', reject);
      candidate.listen({ host, port }, () => resolve(candidate));
    });
  const close = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  server = await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  if (initially === 'down') await close();

  return {
    host,
    port,
    async up() {
      if (server) return;
      try {
        server = await listen(port);
      } catch (error) {
        throw new Error(`cannot bring the dependency back on port ${port}: ${(error as Error).message}`);
      }
    },
    down: close,
  };
}
