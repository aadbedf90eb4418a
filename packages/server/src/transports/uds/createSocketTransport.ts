import type { Registry } from '../../registry/Registry.js';
import type { ProbeRequest } from '../../wire/parseRequest.js';
import { encodeCompatReply, encodeErrorReply, encodeProbeReply } from '../../wire/reply.js';
import type { ConnectionPool } from '../net/ConnectionPool.js';
import type { Transport } from '../Transport.js';
import { bindUnixSocket, type BoundSocket } from './bindUnixSocket.js';
import type { SocketAddress } from './resolveSocketAddress.js';
import { serveConnection } from './serveConnection.js';

/** Time the client needs after the server replies: the reply's trip and the CLI's output. */
const REPLY_MARGIN_MS = 50;

export interface SocketTransportOptions {
  address: SocketAddress;
  /** The socket file's permission bits. */
  mode: number;
  registry: Registry;
  pool: ConnectionPool;
  idleTimeoutMs: number;
}

/** The Unix socket: one request line in, one reply line out, then the close. */
export function createSocketTransport(options: SocketTransportOptions): Transport {
  const { address, mode, registry, pool, idleTimeoutMs } = options;
  let bound: BoundSocket | undefined;

  const answer = async (request: ProbeRequest): Promise<string> => {
    const margin = request.timeoutMs === undefined ? 0 : Math.min(REPLY_MARGIN_MS, request.timeoutMs / 4);
    const evaluateOptions = request.timeoutMs === undefined ? {} : { budgetMs: request.timeoutMs - margin };
    const report = await registry.evaluate(request.probe, evaluateOptions);
    return request.format === 'byte' ? encodeCompatReply(report) : encodeProbeReply(report);
  };
  const createServer = () =>
    pool.createServer(
      (socket) => serveConnection(socket, answer, idleTimeoutMs),
      (max) => encodeErrorReply({ code: 'ERR_OVERLOADED', message: `more than ${max} open connections` }),
    );

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
