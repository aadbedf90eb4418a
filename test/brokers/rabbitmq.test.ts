// examples/rabbitmq-worker against a real RabbitMQ (Debian's rabbitmq-server, a private node):
// its probes tell the truth about outages, lost channels, lost consumers, hung handlers and idle
// queues, and a rolling restart, graceful or kill -9, loses no message.
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { expectReconnected } from './helpers/consumerSuite.js';
import { probe, probeUntil } from './helpers/exampleWorker.js';
import { RABBITMQ } from './helpers/rabbitmq.js';
import { skipWithout, useExampleOnBroker } from './helpers/useExampleOnBroker.js';

describe.skipIf(skipWithout(RABBITMQ))('examples/rabbitmq-worker on a real RabbitMQ', () => {
  const suite = useExampleOnBroker('rabbitmq-worker', ['amqplib'], RABBITMQ, {
    setupTimeoutMs: 150_000,
    readinessCheck: 'broker',
  });
  const { workers, broker } = suite;

  /** Publishes persistent messages and waits for the broker to confirm every one. */
  async function publish(queue: string, messages: { id: string; workMs: number }[]): Promise<void> {
    const connection = await connect(broker().url);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    for (const { id, workMs } of messages) {
      channel.sendToQueue(queue, Buffer.from(JSON.stringify({ workMs })), { persistent: true, messageId: id });
    }
    await channel.waitForConfirms();
    await connection.close();
  }

  async function queueDepth(queue: string): Promise<number> {
    const connection = await connect(broker().url);
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    await connection.close();
    return messageCount;
  }

  describe('the probes tell the truth', () => {
    suite.itPassesWhileIdle(150_000);

    it('a handler that hangs fails liveness naming the job; then the broker closes the channel for the missing ack, and liveness names that too', async () => {
      const worker = await suite.hangAJob({ enqueue: publish, consumerCheck: 'consumer' });

      // RabbitMQ's consumer_timeout (3 s here, 30 min by default) closes the channel of a
      // delivery never acked: a channel error from the broker side, with the connection still up.
      const closed = await probeUntil(
        worker,
        'liveness',
        (result) => result.checks.consumer?.status === 'unhealthy',
        broker().consumerTimeoutMs + 15_000,
      );
      expect(closed.checks.consumer?.message).toMatch(/^channel closed by the broker: .*PRECONDITION_FAILED/);
      expect((await probe(worker, 'readiness')).passed).toBe(true);
      await worker.kill();
      await broker().ctl('delete_queue', 'truth-hang');
    }, 150_000);

    it('a consumer cancelled by the broker (its queue deleted) fails liveness, not readiness', async () => {
      const worker = workers.start('cancel', 'truth-cancel');
      await worker.waitFor(/^connected/);
      expect((await probe(worker, 'liveness')).passed).toBe(true);
      await broker().ctl('delete_queue', 'truth-cancel');
      const failed = await probeUntil(worker, 'liveness', (result) => !result.passed, 10_000);
      expect(failed.checks.consumer?.message).toMatch(/^consumer cancelled by the broker/);
      expect((await probe(worker, 'readiness')).passed).toBe(true);
      await worker.kill();
    }, 150_000);

    it('a connection the broker closes (rabbitmqctl close_all_connections) is reopened: the worker consumes again, and liveness never fails', async () => {
      const worker = workers.start('forced', 'truth-forced');
      await worker.waitFor(/^connected/);
      // Only this worker is connected: every connection of the vhost is its connection.
      await broker().ctl('close_all_connections', '--vhost', '/', 'closed by the healthsock test');
      await expectReconnected(worker, {
        lost: /^connection lost: .*closed by the healthsock test/,
        queue: 'truth-forced',
        enqueue: publish,
        id: 'after-close',
        finished: /^acked after-close$/,
      });
      expect(worker.lines.filter((line) => line.text.startsWith('connected')).length).toBe(2);
      await worker.kill('SIGTERM');
    }, 150_000);

    suite.itRidesOutAnOutage(
      'stopping the broker fails readiness and not liveness; starting it again passes readiness, and the worker consumes again',
      150_000,
      {
        enqueue: publish,
        message: /^no connection to amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+/,
      },
    );
  });

  describe('a rolling restart loses no message', () => {
    suite.itLosesNothingInARollingRestart('persistent messages', {
      broker: 'rabbitmq',
      // A drain delay, so that the order of the shutdown can be seen from outside.
      env: { PREFETCH: '20', DRAIN_DELAY_MS: '6000', MAX_JOB_MS: '30000' },
      enqueue: publish,
      steps: [
        /^SIGTERM: readiness fails$/,
        /^consumer cancelled, \d+ in flight$/,
        /^in-flight work acked$/,
        /^channel and connection closed$/,
      ],
      afterwards: async (queue) => expect(await queueDepth(queue)).toBe(0),
    });
  });
});
