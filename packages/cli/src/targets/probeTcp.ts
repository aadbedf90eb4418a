import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { raceDeadline, type ProbeReply } from '@healthsock/server/protocol';
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
  const late = () => {
    throw new ProbeError('timeout', `could not connect to ${target.display} within ${timeoutMs} ms`);
  };
  return raceDeadline<ProbeReply>(deadline - started, late, ({ done, fail }) => {
    const socket = net.connect({ host: target.host, port: target.port });
    socket.once('connect', () => done(targetReply(probe, 'healthy', performance.now() - started, 'connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(networkError(error, target.display, false)));
    return () => socket.destroy();
  });
}
