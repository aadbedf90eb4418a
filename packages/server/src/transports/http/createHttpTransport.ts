import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../net/closeServer.js';
import type { ConnectionPool } from '../net/ConnectionPool.js';
import { isLoopback } from '../net/isLoopback.js';
import { listen } from '../net/listen.js';
import { translateListenError } from '../net/translateListenError.js';
import type { Transport } from '../Transport.js';
import type { HttpResponder } from './createHttpResponder.js';
import { httpGoodbye, serveHttpConnection } from './serveHttpConnection.js';

export interface HttpTransportOptions {
  port: number;
  host: string | undefined;
  /** Show check messages to every client, not only to loopback ones. */
  details: boolean;
  respond: HttpResponder;
  pool: ConnectionPool;
}

export interface HttpTransport extends Transport {
  /** The port it listens on, once started (useful with `port: 0`). */
  port(): number | undefined;
}

/** The HTTP endpoints on a TCP port of their own, for kubelet's `httpGet`. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { port, host, details, respond, pool } = options;
  let server: net.Server | undefined;
  const where = `HTTP port ${host ?? '*'}:${port}`;

  return {
    async start() {
      const created = pool.createServer({
        serve: (connection) =>
          serveHttpConnection(connection, respond, details || isLoopback(connection.socket.remoteAddress)),
        goodbye: httpGoodbye,
      });
      await listen(created, { port, ...(host === undefined ? {} : { host }) }, (error) =>
        translateListenError(error, where),
      );
      server = created;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (current) await closeServer(current);
    },
    port: () => (server?.address() as AddressInfo | null)?.port,
  };
}
