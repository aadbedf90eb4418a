// A private Redis for one test file: Debian's redis-server on 127.0.0.1 with its own port and
// data directory (append-only file on, as a queue's Redis should have), deleted by remove().
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { childEnv, tempDir } from '../../helpers/processes.js';
import { spawnBroker, waitUntil, type BrokerProcess } from './brokerProcess.js';
import type { BrokerKind } from './useExampleOnBroker.js';
import { freePortBetween } from '../../helpers/ports.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
/** Whether redis-server is installed; under CI=true a missing one fails the suite instead. */
export const REDIS_INSTALLED = existsSync(REDIS_SERVER);

export interface Redis {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Stops the server cleanly; the append-only file keeps the jobs. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export async function createRedis(): Promise<Redis> {
  const dir = tempDir();
  const port = await freePortBetween();
  let server: BrokerProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir.path,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      server = spawnBroker(REDIS_SERVER, args, childEnv(), dir.path);
      await waitUntil('redis-server', () => ping(port), server, 30_000);
    },
    async stop() {
      await server?.stop();
    },
    async remove() {
      await server?.stop();
      dir.remove();
    },
  };
}

/** One PING over a raw connection: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** A private Redis for examples/bullmq-worker, which finds it by REDIS_URL. */
export const REDIS: BrokerKind<Redis> = {
  package: 'redis-server',
  installed: REDIS_INSTALLED,
  create: createRedis,
  env: (redis) => ({ REDIS_URL: redis.url }),
};
