import { healthsockError } from '../../model/errors.js';
import type { HealthsockError } from '../../model/HealthsockError.js';
import type { ProbeReport } from '../../model/reports.js';
import type { Registry } from '../../registry/Registry.js';
import { replyBudget } from '../../wire/replyBudget.js';
import type { GrpcHealth } from './createGrpcHealth.js';
import {
  createGrpcHealthService,
  type GrpcHealthService,
  type GrpcJsStreamingCall,
} from './createGrpcHealthService.js';

export interface LazyGrpcHealthOptions {
  registry: Registry;
  /** Calls `listener` with each whole evaluation's report until the returned function is called. */
  onReport: (listener: (report: ProbeReport) => void) => () => void;
  /** How often a watched probe is evaluated while a Watch is open, in ms. */
  intervalMs: number;
  /** Show check messages to every grpc-js client, not only to loopback ones. */
  details: boolean;
  fault: (error: HealthsockError) => void;
}

/** One server's gRPC health service, for the gRPC transport and the grpc-js adapter alike. */
export interface LazyGrpcHealth {
  /** The service; its code loads at the first call, so that a worker without gRPC never parses it. */
  load(): Promise<GrpcHealth>;
  /** Ends every open Watch, on the transport and through the adapter alike, if the service was loaded. */
  stop(): Promise<void>;
  /** The service for the application's own `@grpc/grpc-js` server. */
  readonly adapter: GrpcHealthService;
}

export function lazyGrpcHealth(options: LazyGrpcHealthOptions): LazyGrpcHealth {
  const { registry, onReport, intervalMs, details, fault } = options;
  let loading: Promise<{ health: GrpcHealth; code: typeof import('./optionalGrpc.js') }> | undefined;
  const load = () =>
    (loading ??= import('./optionalGrpc.js').then((code) => ({
      code,
      health: code.createGrpcHealth({
        evaluate: (probe, { timeoutMs, only } = {}) =>
          registry.evaluate(probe, { ...replyBudget(timeoutMs), ...(only === undefined ? {} : { only }) }),
        checkNames: (probe) => registry.checkNames(probe),
        onReport,
        intervalMs,
        fault,
      }),
    })));

  return {
    load: async () => (await load()).health,
    async stop() {
      await loading?.then(
        ({ health }) => health.stop(),
        () => undefined,
      );
    },
    adapter: createGrpcHealthService((method, call, callback) => {
      load()
        .then(({ code, health }) => code.serveGrpcJsCall(health, details, method, call, callback))
        .catch((error: unknown) => {
          // The call still ends, with a status, and the fault is reported rather than left unhandled.
          const status = { code: 13, details: `healthsock cannot answer: ${String(error)}` };
          if (callback) callback(status);
          else (call as GrpcJsStreamingCall).emit('error', status);
          fault(healthsockError('ERR_GRPC_FAILED', 'answer', [status.details], { cause: error }));
        });
    }),
  };
}
