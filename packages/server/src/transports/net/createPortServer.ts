import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Transport } from '../Transport.js';
import { closeServer } from './closeServer.js';
import { listen } from './listen.js';
import { translateListenError } from './translateListenError.js';

export interface PortServerOptions {
  port: number;
  host: string | undefined;
  /** What listens, in a failure to: `HTTP port`, `gRPC port`, `TCP gate port`. */
  name: string;
  /** Whether a port the system chose at the first start is kept for every later one (the TCP gate). */
  keepPort?: boolean | undefined;
}

/** A server on a TCP port of its own, started and stopped as a transport. */
export interface PortServer extends Transport {
  /** The port it listens on, once started (useful with `port: 0`); with `keepPort`, also while stopped. */
  port(): number | undefined;
  listening(): boolean;
}

/** Listens with a new server from `createServer` at each start, and closes it at each stop. */
export function createPortServer(
  createServer: () => net.Server | Promise<net.Server>,
  options: PortServerOptions,
): PortServer {
  const { host, name, keepPort = false } = options;
  let port = options.port;
  let server: net.Server | undefined;

  return {
    async start() {
      const created = await createServer();
      await listen(created, { port, ...(host === undefined ? {} : { host }) }, (error) =>
        translateListenError(error, `${name} ${host ?? '*'}:${port}`),
      );
      if (keepPort) port = (created.address() as AddressInfo).port;
      server = created;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (current) await closeServer(current);
    },
    port: () => (server?.address() as AddressInfo | null)?.port ?? (keepPort && port !== 0 ? port : undefined),
    listening: () => server !== undefined,
  };
}
