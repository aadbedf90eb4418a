// A private RabbitMQ node for one test file: Debian's rabbitmq-server on 127.0.0.1, with its own
// node name, ports (AMQP, distribution, epmd), data, logs, config and Erlang cookie, all in a
// temporary directory that remove() deletes. No management plugin: it is not needed and costs
// seconds of start-up.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { childEnv, run, tempDir } from '../../helpers/processes.js';
import { spawnBroker, waitUntil, type BrokerProcess } from './brokerProcess.js';
import type { BrokerKind } from './useExampleOnBroker.js';
import { freePortBetween } from '../../helpers/ports.js';

const BIN = '/usr/lib/rabbitmq/bin';

/** Whether rabbitmq-server is installed; under CI=true a missing one fails the suite instead. */
export const RABBITMQ_INSTALLED = existsSync(join(BIN, 'rabbitmq-server'));

export interface RabbitMQ {
  url: string;
  /** How long the broker waits for an ack before it closes the channel (consumer_timeout). */
  consumerTimeoutMs: number;
  /** Starts the node (again): resolves when it accepts AMQP connections. */
  start(): Promise<void>;
  /** Stops the node cleanly; its queues and persistent messages stay on disk. */
  stop(): Promise<void>;
  /** Runs rabbitmqctl against this node. */
  ctl(...args: string[]): Promise<string>;
  /** Stops everything this started and deletes its directory. */
  remove(): Promise<void>;
}

export async function createRabbitMQ(options: { consumerTimeoutMs: number }): Promise<RabbitMQ> {
  const dir = tempDir();
  const port = await freePortBetween();
  const distPort = await freePortBetween();
  const epmdPort = await freePortBetween();
  const home = join(dir.path, 'home');
  mkdirSync(home);
  writeFileSync(
    join(dir.path, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      'loopback_users = none',
      // Short, so that a test sees the broker close the channel of a consumer that never acks.
      `consumer_timeout = ${options.consumerTimeoutMs}`,
      '',
    ].join('\n'),
  );
  // The consumer timeout is checked on the channel's tick, every minute by default.
  writeFileSync(join(dir.path, 'advanced.config'), '[{rabbit, [{channel_tick_interval, 500}]}].\n');
  writeFileSync(join(dir.path, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir.path, 'rabbitmq-env.conf'), '');
  const env = childEnv({
    HOME: home,
    RABBITMQ_NODENAME: `hs${process.pid}-${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir.path, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir.path, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir.path, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir.path, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir.path, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir.path, 'enabled_plugins'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir.path, 'plugins-expand'),
    RABBITMQ_PID_FILE: join(dir.path, 'rabbitmq.pid'),
  });
  const url = `amqp://guest:guest@127.0.0.1:${port}`;

  // epmd is this test's own child, in the foreground, so that it goes when the test does:
  // left to Erlang, it would start a daemon that outlives everything.
  const epmd = spawn('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { env, stdio: 'ignore' });
  let node: BrokerProcess | undefined;

  const rabbit: RabbitMQ = {
    url,
    consumerTimeoutMs: options.consumerTimeoutMs,
    async start() {
      node = spawnBroker(join(BIN, 'rabbitmq-server'), [], env, dir.path);
      await waitUntil(
        'rabbitmq-server',
        async () => {
          const connection = await connect(url);
          await connection.close();
          return true;
        },
        node,
        90_000,
      );
    },
    async stop() {
      await node?.stop();
    },
    async ctl(...args) {
      // rabbitmqctl starts an Erlang VM of its own: about a second, much more on a loaded machine.
      const result = await run(join(BIN, 'rabbitmqctl'), args, { env, killAfterMs: 90_000 });
      if (result.code !== 0) {
        throw new Error(
          `rabbitmqctl ${args.join(' ')} (${result.code ?? result.signal}): ${result.stdout}${result.stderr}`,
        );
      }
      return result.stdout;
    },
    async remove() {
      await node?.stop();
      epmd.kill('SIGKILL');
      dir.remove();
    },
  };
  return rabbit;
}

/**
 * A private RabbitMQ for examples/rabbitmq-worker, which finds it by AMQP_URL; its consumer_timeout
 * is 3 s, so that a test sees the broker close the channel of a message never acked.
 */
export const RABBITMQ: BrokerKind<RabbitMQ> = {
  package: 'rabbitmq-server',
  installed: RABBITMQ_INSTALLED,
  create: () => createRabbitMQ({ consumerTimeoutMs: 3000 }),
  env: (rabbit) => ({ AMQP_URL: rabbit.url }),
};
