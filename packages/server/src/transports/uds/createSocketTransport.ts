import type { SocketAddress } from '../../model/resolveSocketAddress.js';
import type { ProbeRequest } from '../../wire/parseRequest.js';
import { replyBudget } from '../../wire/replyBudget.js';
import { encodeCompatReply, encodeProbeReply } from '../../wire/reply.js';
import type { Transport } from '../Transport.js';
import type { TransportContext } from '../TransportContext.js';
import { bindUnixSocket, type BoundSocket } from './bindUnixSocket.js';
import { lineGoodbye } from './lineGoodbye.js';
import { serveConnection } from './serveConnection.js';

export interface SocketTransportOptions {
  address: SocketAddress;
  /** The socket file's permission bits. */
  mode: number;
}

/**
 * The Unix socket: one request line in, one reply line out, then the close; or HTTP, when the
 * first line is an HTTP request line.
 */
export function createSocketTransport(options: SocketTransportOptions, context: TransportContext): Transport {
  const { address, mode } = options;
  const { registry, pool, serveHttp } = context;
  let bound: BoundSocket | undefined;

  const answer = async (request: ProbeRequest): Promise<string> => {
    const report = await registry.evaluate(request.probe, replyBudget(request.timeoutMs));
    return request.format === 'byte' ? encodeCompatReply(report) : encodeProbeReply(report);
  };
  const createServer = () =>
    pool.createServer({
      // Only local users can reach the socket, so HTTP on it shows check messages.
      serve: (connection) => serveConnection(connection, answer, (taken, received) => serveHttp(taken, true, received)),
      goodbye: lineGoodbye,
    });

  return {
    async start() {
      bound = await bindUnixSocket(createServer, address, mode);
    },
    async stop() {
      const current = bound;
      bound = undefined;
      await current?.unbind();
    },
  };
}
