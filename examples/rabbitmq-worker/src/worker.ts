// A RabbitMQ consumer with health probes that tell the truth, and a shutdown that loses nothing.
//
// Configuration, all from the environment:
//   AMQP_URL            the broker, e.g. amqp://user:pass@rabbitmq:5672 (default amqp://localhost)
//   QUEUE               the durable queue to consume (default jobs)
//   PREFETCH            how many unacked messages the broker hands this worker at once (default 10)
//   MAX_JOB_MS          liveness fails once one message has been in flight this long (default 60000)
//   DRAIN_DELAY_MS      on SIGTERM, how long readiness fails before the consumer stops (default 0)
//   HEALTHSOCK_SOCKET   where the health socket listens (read by the healthsock CLI too)
//
// Probes:
//   startup, readiness  "is the connection to the broker up?" An outage is not this pod's fault
//                       and a restart does not end it, so it must never fail liveness.
//   liveness            "is the consumer consuming, and is no message stuck?" A channel closed or
//                       a consumer cancelled by the broker while the connection stays up leaves a
//                       process that answers and consumes nothing, forever; a restart fixes it.
import { setTimeout as sleep } from 'node:timers/promises';
import { checks, createHealthServer } from '@healthsock/server';
import { connect, type Channel, type ConsumeMessage } from 'amqplib';

const url = process.env.AMQP_URL || 'amqp://localhost';
const queue = process.env.QUEUE || 'jobs';
const prefetch = positiveInteger('PREFETCH', 10);
const maxJobMs = positiveInteger('MAX_JOB_MS', 60_000);
const drainDelayMs = positiveInteger('DRAIN_DELAY_MS', 0);
// Never print the password of the broker's URL in a probe's output or a log line.
const broker = redact(url);

// The age of the oldest message in flight. An idle queue delivers nothing and is healthy for
// ever; a message held past MAX_JOB_MS means the work is stuck. (A push consumer has no poll to
// beat on, so checks.progress would call an idle consumer stuck.)
const jobs = checks.inflight({ maxAgeMs: maxJobMs });

let connected = false;
let lastError = 'not connected yet';
/** The channel and consumer tag while consuming. */
let consumer: { channel: Channel; tag: string } | undefined;
/** Why the consumer stopped while the connection stayed up; cleared by a new connection. */
let lost: string | undefined;
let stopping = false;

const health = createHealthServer();
health.addCheck(
  'broker',
  () => {
    if (stopping) throw new Error('shutting down');
    if (!connected) throw new Error(`no connection to ${broker}: ${lastError}`);
  },
  { probes: ['startup', 'readiness'] },
);
health.addCheck(
  'consumer',
  () => {
    // Without a connection there is nothing to consume from: readiness reports the outage, and
    // the connection is being retried, so a restart would change nothing.
    if (stopping || !connected) return { status: 'healthy', message: stopping ? 'shutting down' : 'reconnecting' };
    if (lost) throw new Error(lost);
    if (!consumer) throw new Error('connected, but not consuming');
  },
  { probes: ['liveness'] },
);
health.addCheck('jobs', jobs, { probes: ['liveness'] });

// amqplib reconnects with backoff when the connection is lost, and runs setup() on each new one.
const connection = await connect(url, {
  recovery: { setup: startConsuming, waitForConnect: false, initialDelay: 200, maxDelay: 5000 },
});
connection.on('connect', () => {
  connected = true;
  console.log(`connected to ${broker}, consuming ${queue} with prefetch ${prefetch}`);
});
connection.on('disconnect', (error: Error) => {
  connected = false;
  consumer = undefined;
  lastError = error.message;
  console.log(`connection lost: ${error.message}; reconnecting`);
});
connection.on('connect-failed', (error: Error) => {
  lastError = error.message;
});
connection.on('error', (error: Error) => console.error(`connection error: ${error.message}`));

await health.listen();
console.log(`listening on ${health.socketPath}`);
// Once: a second signal is left to Node's default and ends the process at once, as a second
// Ctrl-C should. Kubernetes sends one SIGTERM, then SIGKILL after the grace period.
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));

async function startConsuming(model: { createChannel(): Promise<Channel> }): Promise<void> {
  const channel = await model.createChannel();
  let closedBy: string | undefined;
  // The broker closes a channel with an error (e.g. 406 PRECONDITION_FAILED when a delivery is
  // not acked within its consumer_timeout); without this listener the error would crash the worker.
  channel.on('error', (error: Error) => (closedBy = error.message));
  channel.on('close', () => {
    if (consumer?.channel !== channel) return;
    consumer = undefined;
    lost = `channel closed${closedBy ? ` by the broker: ${closedBy}` : ''}`;
    console.log(lost);
  });
  await channel.prefetch(prefetch);
  await channel.assertQueue(queue, { durable: true });
  const { consumerTag } = await channel.consume(queue, (message) => {
    // null: the broker cancelled the consumer, e.g. because the queue was deleted.
    if (message === null) {
      consumer = undefined;
      lost = `consumer cancelled by the broker (was ${queue} deleted?)`;
      console.log(lost);
      return;
    }
    void handle(channel, message);
  });
  consumer = { channel, tag: consumerTag };
  lost = undefined;
}

async function handle(channel: Channel, message: ConsumeMessage): Promise<void> {
  const id = String(message.properties.messageId ?? `#${message.fields.deliveryTag}`);
  const done = jobs.begin(`${id} (${queue})`);
  try {
    await work(message);
    channel.ack(message);
    // Redelivered: a worker before this one took the message and died before its ack arrived.
    console.log(`acked ${id}${message.fields.redelivered ? ' (redelivered)' : ''}`);
  } catch (error) {
    // A failed job goes back to the queue; give the queue a dead-letter exchange and a delivery
    // limit (a quorum queue's x-delivery-limit) so that a poison message cannot loop for ever.
    // On a closed channel neither ack nor nack is possible, and the broker redelivers the message.
    console.error(`job ${id} failed: ${(error as Error).message}`);
    try {
      channel.nack(message, false, true);
    } catch {
      // the channel is gone: the broker has already put the message back
    }
  } finally {
    done();
  }
}

// The work itself goes here. This stand-in takes as long as the message's `workMs` says
// (default 10 ms), so that a slow or a hung job can be tried: {"workMs": 600000}.
async function work(message: ConsumeMessage): Promise<void> {
  const job = JSON.parse(message.content.toString() || '{}') as { workMs?: number };
  await sleep(typeof job.workMs === 'number' ? job.workMs : 10);
}

// SIGTERM (Kubernetes stopping the pod): readiness fails; the consumer is cancelled, so the broker
// sends nothing more; the messages in flight finish and are acked; the channel and the connection
// close; then nothing is left to run and the process exits. Whatever the broker had sent but this
// worker had not acked when it died goes back to the queue, so a kill -9 loses nothing either: it
// only redelivers (at least once; your handler must tolerate a duplicate).
async function stop(signal: NodeJS.Signals): Promise<void> {
  stopping = true;
  console.log(`${signal}: readiness fails`);
  await sleep(drainDelayMs);
  const current = consumer;
  consumer = undefined;
  if (current) await current.channel.cancel(current.tag).catch(() => undefined);
  console.log(`consumer cancelled, ${jobs.size} in flight`);
  await jobs.idle();
  console.log('in-flight work acked');
  await current?.channel.close().catch(() => undefined);
  await connection.close();
  console.log('channel and connection closed');
  await health.close();
}

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}

function redact(text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(AMQP_URL is not a URL)';
  }
}
