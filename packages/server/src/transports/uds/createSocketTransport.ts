import type { Registry } from '../../registry/Registry.js';
import type { ProbeRequest } from '../../wire/parseRequest.js';
import { replyBudget } from '../../wire/replyBudget.js';
import { encodeCompatReply, encodeProbeReply } from '../../wire/reply.js';
import type { HttpResponder } from '../http/createHttpResponder.js';
import type { ConnectionPool } from '../net/ConnectionPool.js';
import type { Transport } from '../Transport.js';
import { bindUnixSocket, type BoundSocket } from './bindUnixSocket.js';
import type { SocketAddress } from './resolveSocketAddress.js';
import { lineGoodbye } from './lineGoodbye.js';
import { serveConnection } from './serveConnection.js';

export interface SocketTransportOptions {
  address: SocketAddress;
  /** The socket file's permission bits. */
  mode: number;
  registry: Registry;
  pool: ConnectionPool;
  /** Answers a connection that opens with an HTTP request line (`curl --unix-socket`). */
  respondHttp: HttpResponder;
}

/**
 * The Unix socket: one request line in, one reply line out, then the close; or HTTP, when the
 * first line is an HTTP request line.
 */
export function createSocketTransport(options: SocketTransportOptions): Transport {
  const { address, mode, registry, pool, respondHttp } = options;
  let bound: BoundSocket | undefined;

  const answer = async (request: ProbeRequest): Promise<string> => {
    const report = await registry.evaluate(request.probe, replyBudget(request.timeoutMs));
    return request.format === 'byte' ? encodeCompatReply(report) : encodeProbeReply(report);
  };
  const createServer = () =>
    pool.createServer({
      serve: (connection) =>
        // Only local users can reach the socket, so HTTP on it shows check messages.
        serveConnection(connection, answer, (taken, received) => {
          // The HTTP code loads only once a client speaks HTTP: a worker probed with the line
          // protocol never parses it. The socket waits, paused, so that nothing it sends is lost.
          taken.socket.pause();
          import('../optionalTransports.js').then(
            ({ serveHttpConnection }) => {
              if (taken.socket.destroyed) return;
              serveHttpConnection(taken, respondHttp, true, received);
              taken.socket.resume();
            },
            () => taken.socket.destroy(),
          );
        }),
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
