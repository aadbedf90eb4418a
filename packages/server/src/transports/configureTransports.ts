import type { GrpcTransport, GrpcTransportOptions } from './grpc/createGrpcTransport.js';
import type { HeartbeatOptions } from './heartbeat/createHeartbeat.js';
import type { HttpTransport, HttpTransportOptions } from './http/createHttpTransport.js';
import type { TcpGate, TcpGateOptions } from './tcp/createTcpGate.js';
import type { Transport } from './Transport.js';
import type { TransportContext } from './TransportContext.js';
import { createSocketTransport, type SocketTransportOptions } from './uds/createSocketTransport.js';

/** Each transport's resolved options; one that is off is `undefined` (or, for the gates, none). */
export interface TransportsConfig {
  socket: SocketTransportOptions | undefined;
  http: HttpTransportOptions | undefined;
  tcp: readonly TcpGateOptions[];
  heartbeat: HeartbeatOptions | undefined;
  grpc: GrpcTransportOptions | undefined;
}

/** The ports the network transports listen on; `undefined` where a port is closed or not configured. */
export interface TransportPorts {
  http: number | undefined;
  /** One per TCP gate, in the order given; a gate's port is `undefined` until it first opened. */
  tcp: (number | undefined)[];
  grpc: number | undefined;
}

/** A server's configured transports, each made with its options and the one context. */
export interface Transports {
  /** Every configured transport, in the order to start them; made at the first call. */
  load(): Promise<Transport[]>;
  ports(): TransportPorts;
}

/**
 * The transports of `config`. The code of each loads only once one is configured, at the first
 * `load()`, so that one that is off costs nothing.
 */
export function configureTransports(config: TransportsConfig, context: TransportContext): Transports {
  let loaded: { all: Transport[]; http?: HttpTransport; gates: TcpGate[]; grpc?: GrpcTransport } | undefined;

  const create = async () => {
    const optional =
      config.http || config.tcp.length > 0 || config.heartbeat ? await import('./optionalTransports.js') : undefined;
    const grpcCode = config.grpc && (await import('./grpc/optionalGrpc.js'));
    const socket = config.socket && createSocketTransport(config.socket, context);
    const http = config.http && optional?.createHttpTransport(config.http, context);
    const grpc = config.grpc && grpcCode?.createGrpcTransport(config.grpc, context);
    const gates = config.tcp.flatMap((gate) => optional?.createTcpGate(gate, context) ?? []);
    const heartbeat = config.heartbeat && optional?.createHeartbeat(config.heartbeat, context);
    const all = [socket, http, grpc, ...gates, heartbeat].filter((transport) => transport !== undefined);
    return { all, gates, ...(http ? { http } : {}), ...(grpc ? { grpc } : {}) };
  };

  return {
    async load() {
      // Kept only once made: a failed import is tried again at the next `listen()`.
      loaded ??= await create();
      return loaded.all;
    },
    ports: () => ({
      http: loaded?.http?.port(),
      tcp: config.tcp.map((_, index) => loaded?.gates[index]?.port()),
      grpc: loaded?.grpc?.port(),
    }),
  };
}
