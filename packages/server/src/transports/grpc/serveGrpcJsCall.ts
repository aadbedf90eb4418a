import { isLoopback } from '../net/isLoopback.js';
import {
  decodeHealthCheckRequest,
  encodeHealthCheckResponse,
  encodeHealthListResponse,
  GRPC_STATUS,
} from '../../wire/grpcHealthWire.js';
import type { GrpcHealth } from './createGrpcHealth.js';
import type { GrpcJsCall, GrpcJsCallback, GrpcJsStreamingCall } from './createGrpcHealthService.js';

/**
 * Answers one call that `@grpc/grpc-js` handed to the adapter, with the same service as the
 * gRPC transport: `grpc-js` has already framed, checked and routed it.
 */
export function serveGrpcJsCall(
  health: GrpcHealth,
  details: boolean,
  method: 'check' | 'watch' | 'list',
  call: GrpcJsCall | GrpcJsStreamingCall,
  callback: GrpcJsCallback | undefined,
): void {
  const options = {
    timeoutMs: remainingMs(call.getDeadline()),
    details: details || isLoopback(peerAddress(call.getPeer())),
  };
  let service = '';
  if (method !== 'list') {
    try {
      service = decodeHealthCheckRequest(call.request ?? Buffer.alloc(0)).service;
    } catch (error) {
      const failure = {
        code: GRPC_STATUS.INTERNAL,
        details: `the request is not a HealthCheckRequest: ${(error as Error).message}`,
      };
      if (callback) callback(failure);
      else (call as GrpcJsStreamingCall).emit('error', failure);
      return;
    }
  }
  if (method === 'watch') {
    const stream = call as GrpcJsStreamingCall;
    const stop = health.watch(
      service,
      (status) => stream.write(encodeHealthCheckResponse(status)),
      () => stream.emit('error', { code: GRPC_STATUS.UNAVAILABLE, details: 'the health server is closing' }),
    );
    stream.on('cancelled', stop);
    stream.on('close', stop);
    stream.on('error', stop);
    return;
  }
  const answer = callback as GrpcJsCallback;
  const pending =
    method === 'check'
      ? health
          .check(service, options)
          .then((outcome) =>
            outcome.status === undefined ? outcome : { ...outcome, body: encodeHealthCheckResponse(outcome.status) },
          )
      : health
          .list(options)
          .then((outcome) =>
            outcome.statuses === undefined ? outcome : { ...outcome, body: encodeHealthListResponse(outcome.statuses) },
          );
  void pending.then((outcome) => {
    if ('body' in outcome && outcome.code === GRPC_STATUS.OK) answer(null, outcome.body);
    else answer({ code: outcome.code, details: outcome.message });
  });
}

/** The time left before a deadline, in ms; `undefined` without one. */
function remainingMs(deadline: Date | number): number | undefined {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return undefined;
  return Math.max(1, at - Date.now());
}

/** The address of grpc-js's peer string: `127.0.0.1:5000`, `[::1]:5000` or `ipv4:127.0.0.1:5000`. */
function peerAddress(peer: string): string | undefined {
  const bare = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\]/.exec(bare);
  if (bracketed) return bracketed[1];
  const colon = bare.lastIndexOf(':');
  return colon === -1 ? bare : bare.slice(0, colon);
}
