import type { HealthLogger } from '../events/HealthEvents.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_SOCKET_MODE,
  MAX_CONNECTIONS,
  MAX_TIMER_MS,
} from '../model/limits.js';
import type { Redact } from '../registry/Registry.js';
import { defaultSocketPath } from '../model/defaultSocketPath.js';
import type { SocketAddress } from '../model/resolveSocketAddress.js';
import { resolveTransportOptions, type ResolvedTransports } from './resolveTransportOptions.js';
import {
  validateFileMode,
  validateFunction,
  validateInteger,
  validateMethods,
  validateObject,
  validateSignals,
  validateSocketPath,
} from './validators.js';

/** Every key of `HealthServerOptions`: any other is a typo, refused with a suggestion. */
const HEALTH_SERVER_OPTION_KEYS = [
  'socketPath',
  'socketMode',
  'idleTimeoutMs',
  'maxConnections',
  'redact',
  'drainDelayMs',
  'shutdownSignals',
  'onShutdown',
  'logger',
  'http',
  'tcp',
  'heartbeat',
  'grpc',
] as const;

/** A health server's options, checked and with every default filled in. */
export interface ResolvedServerOptions {
  /** Where the socket listens; `undefined` when it is off. */
  address: SocketAddress | undefined;
  socketMode: number;
  idleTimeoutMs: number;
  maxConnections: number;
  drainDelayMs: number;
  /** Each signal once. */
  signals: readonly NodeJS.Signals[];
  onShutdown: ((signal: NodeJS.Signals) => unknown) | undefined;
  redact: Redact | undefined;
  /** Bound to the given logger, so that a console-like logger whose methods need their object still works. */
  logger: HealthLogger | undefined;
  transports: ResolvedTransports;
}

/**
 * Checks the options of `createHealthServer` and fills in the defaults, before any I/O: a wrong
 * option is an ERR_INVALID_OPTION naming it and its value, never a surprise at `listen()`.
 */
export function resolveServerOptions(given: unknown = {}): ResolvedServerOptions {
  const options = validateObject('options', given, { known: HEALTH_SERVER_OPTION_KEYS, where: 'createHealthServer()' });
  // Checked in the order of the options' documentation (a literal keeps it), so that of two
  // mistakes the first is named.
  return {
    address:
      options.socketPath === false
        ? undefined
        : validateSocketPath('socketPath', options.socketPath ?? defaultSocketPath(process.env)),
    socketMode: validateFileMode('socketMode', options.socketMode ?? DEFAULT_SOCKET_MODE),
    idleTimeoutMs: validateInteger('idleTimeoutMs', options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 1, MAX_TIMER_MS),
    maxConnections: validateInteger(
      'maxConnections',
      options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      1,
      MAX_CONNECTIONS,
    ),
    drainDelayMs: validateInteger('drainDelayMs', options.drainDelayMs ?? 0, 0, MAX_TIMER_MS),
    signals: validateSignals('shutdownSignals', options.shutdownSignals ?? []),
    onShutdown: validateFunction('onShutdown', options.onShutdown as ResolvedServerOptions['onShutdown']),
    redact: validateFunction('redact', options.redact as Redact | undefined),
    logger: options.logger === undefined ? undefined : boundLogger(options.logger),
    transports: resolveTransportOptions(options),
  };
}

/** The logger, bound, so that a console-like logger whose methods need their object still works. */
function boundLogger(given: unknown): HealthLogger {
  const logger = validateMethods<HealthLogger>('logger', given, ['warn', 'info'], 'such as console');
  return { warn: (message) => logger.warn(message), info: (message) => logger.info(message) };
}
