import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ProbeReply } from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';
import { networkError } from './networkError.js';
import type { TargetRequest, TcpTarget } from './Target.js';
import { targetReply } from './targetReply.js';

/**
 * kubelet's `tcpSocket` probe: connect within the deadline, then close without sending anything.
 * Connected passes, whatever the listener does next.
 */
export function probeTcp(target: TcpTarget, { probe, deadline, timeoutMs }: TargetRequest): Promise<ProbeReply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(
      () => finish(new ProbeError('timeout', `could not connect to ${target.display} within ${timeoutMs} ms`)),
      Math.max(0, deadline - started),
    );
    function finish(outcome: ProbeReply | ProbeError): void {
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof ProbeError) reject(outcome);
      else resolve(outcome);
    }
    socket.once('connect', () => {
      const took = performance.now() - started;
      finish(targetReply(probe, 'healthy', took, 'connected'));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish(networkError(error, target.display, false)));
  });
}
