import net from 'node:net';
import { healthsockError } from '../../model/errors.js';
import { HealthsockError } from '../../model/HealthsockError.js';
import type { ProbeName } from '../../model/probes.js';
import { createActingMonitor } from '../../monitor/createActingMonitor.js';
import { createPortServer } from '../net/createPortServer.js';
import type { Transport } from '../Transport.js';
import type { TransportContext } from '../TransportContext.js';

export interface TcpGateOptions {
  port: number;
  host: string | undefined;
  probe: ProbeName;
  intervalMs: number;
}

export interface TcpGate extends Transport {
  /** The port the gate opens (useful with `port: 0`: the first opening picks it, later ones reuse it). */
  port(): number | undefined;
}

/**
 * A TCP port that listens only while its probe passes, for `tcpSocket` probes. A listener that
 * merely stops accepting would still pass them, since the kernel completes handshakes into the
 * backlog; so the listener itself is closed while the probe fails, and connections see
 * `connection refused`. An accepted connection is closed at once with nothing sent.
 */
export function createTcpGate(options: TcpGateOptions, context: TransportContext): TcpGate {
  const { port, host } = options;
  const gate = createPortServer(
    () =>
      net
        .createServer((socket) => {
          socket.on('error', () => undefined);
          socket.destroy();
        })
        .unref(),
    { port, host, name: 'TCP gate port', keepPort: true },
  );
  const monitor = createActingMonitor(options, context, {
    name: 'TCP gate',
    code: 'ERR_PORT_LISTEN',
    hold: async () => {
      if (!gate.listening()) await gate.start();
    },
    drop: () => gate.stop(),
    // Someone took the port meanwhile: it is said once, and tried again every interval.
    translate: (error) =>
      error instanceof HealthsockError ? error : healthsockError('ERR_PORT_LISTEN', 'other', [String(error)]),
  });

  return {
    start: () => monitor.start(),
    stop: () => monitor.stop(),
    port: () => gate.port(),
  };
}
