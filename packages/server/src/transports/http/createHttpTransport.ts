import { createPortServer, type PortServer } from '../net/createPortServer.js';
import { isLoopback } from '../net/isLoopback.js';
import type { TransportContext } from '../TransportContext.js';
import { httpGoodbye } from './serveHttpConnection.js';

export interface HttpTransportOptions {
  port: number;
  host: string | undefined;
  /** Show check messages to every client, not only to loopback ones. */
  details: boolean;
}

export type HttpTransport = PortServer;

/** The HTTP endpoints on a TCP port of their own, for kubelet's `httpGet`. */
export function createHttpTransport(options: HttpTransportOptions, context: TransportContext): HttpTransport {
  const { port, host, details } = options;
  const { pool, serveHttp } = context;
  return createPortServer(
    () =>
      pool.createServer({
        serve: (connection) => serveHttp(connection, details || isLoopback(connection.socket.remoteAddress)),
        goodbye: httpGoodbye,
      }),
    { port, host, name: 'HTTP port' },
  );
}
