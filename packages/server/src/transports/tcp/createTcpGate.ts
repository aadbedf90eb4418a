import net, { type AddressInfo } from 'node:net';
import { healthsockError, retryingError } from '../../model/errors.js';
import { HealthsockError } from '../../model/HealthsockError.js';
import { passes } from '../../model/passes.js';
import type { ProbeName } from '../../model/probes.js';
import type { ProbeReport } from '../../model/reports.js';
import { startActingMonitor } from '../../monitor/startActingMonitor.js';
import type { Monitor } from '../../monitor/startMonitor.js';
import { closeServer } from '../net/closeServer.js';
import { listen } from '../net/listen.js';
import { translateListenError } from '../net/translateListenError.js';
import type { Transport } from '../Transport.js';

export interface TcpGateOptions {
  port: number;
  host: string | undefined;
  probe: ProbeName;
  intervalMs: number;
  evaluate: (probe: ProbeName) => Promise<ProbeReport>;
  /** Where a port that cannot be opened again is reported. */
  fault: (error: HealthsockError) => void;
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
export function createTcpGate(options: TcpGateOptions): TcpGate {
  const { host, probe, intervalMs, evaluate, fault } = options;
  let port = options.port;
  let server: net.Server | undefined;
  let monitor: Monitor | undefined;
  const where = () => `TCP gate port ${host ?? '*'}:${port}`;

  const open = async () => {
    const created = net
      .createServer((socket) => {
        socket.on('error', () => undefined);
        socket.destroy();
      })
      .unref();
    await listen(created, { port, ...(host === undefined ? {} : { host }) }, (error) =>
      translateListenError(error, where()),
    );
    // A port chosen by the system stays the gate's port when it opens again.
    port = (created.address() as AddressInfo).port;
    server = created;
  };
  const close = async () => {
    const current = server;
    server = undefined;
    if (current) await closeServer(current);
  };

  return {
    async start() {
      const started = startActingMonitor(evaluate, {
        probe,
        intervalMs,
        // Closed or not, a port that cannot be had is a configuration error now, not later.
        first: async (report) => {
          await open();
          if (!passes(report.status)) await close();
        },
        next: async (report) => {
          if (!passes(report.status)) return close();
          if (!server) await open();
        },
        // Someone took the port meanwhile: say so once, and keep trying every interval.
        onActionError: (error) => fault(retrying(error, intervalMs)),
        onError: (error) =>
          fault(healthsockError('ERR_PORT_LISTEN', 'gateProbe', [probe, String(error)], { cause: error })),
      });
      monitor = started.monitor;
      try {
        await started.ready;
      } catch (error) {
        await this.stop();
        throw error;
      }
    },
    async stop() {
      const current = monitor;
      monitor = undefined;
      await current?.stop();
      await close();
    },
    port: () => (server ? port : port === 0 ? undefined : port),
  };
}

/** A failure to open the port again, as the fault the operator sees: it is retried, not fatal. */
function retrying(error: unknown, intervalMs: number): HealthsockError {
  const fault = error instanceof HealthsockError ? error : healthsockError('ERR_PORT_LISTEN', 'other', [String(error)]);
  return retryingError(fault, intervalMs, error);
}
