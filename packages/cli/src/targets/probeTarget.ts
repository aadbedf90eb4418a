import { probeSocket } from './probeSocket.js';
import type { Target, TargetReply, TargetRequest } from './Target.js';

/**
 * Probes any target once, within `request.deadline`. Resolves with the reply, whatever its
 * status (other targets' answers are expressed as a healthsock reply); rejects with a classed
 * {@link ProbeError} when there is no usable answer. Safe to call again and again.
 *
 * Only the socket's code is loaded up front: it is the probe that runs in every pod every few
 * seconds. The other targets' code (and Node's HTTP and TLS modules) loads when first used.
 */
export function probeTarget(target: Target, request: TargetRequest): Promise<TargetReply> {
  switch (target.kind) {
    case 'unix':
      return probeSocket({
        address: target.address,
        probe: request.probe,
        deadline: request.deadline,
        timeoutMs: request.timeoutMs,
      });
    case 'http':
      return import('./probeHttp.js').then(({ probeHttp }) => probeHttp(target, request));
    case 'tcp':
      return import('./probeTcp.js').then(({ probeTcp }) => probeTcp(target, request));
    case 'grpc':
      return import('./probeGrpc.js').then(({ probeGrpc }) => probeGrpc(target, request));
    case 'file':
      return import('./probeFile.js').then(({ probeFile }) => probeFile(target, request));
  }
}
