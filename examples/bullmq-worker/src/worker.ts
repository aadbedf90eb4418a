// A BullMQ worker with health probes that tell the truth, and a shutdown that loses nothing.
//
// Configuration, all from the environment:
//   REDIS_URL           the Redis that holds the queue (default redis://localhost:6379)
//   QUEUE               the queue to work on (default jobs)
//   CONCURRENCY         how many jobs this worker runs at once (default 10)
//   MAX_JOB_MS          liveness fails once one job has been running this long (default 60000)
//   LOCK_DURATION_MS    how long a job of a worker that died waits before another worker takes it
//                       back (BullMQ's lockDuration and stalledInterval; default 30000)
//   DRAIN_DELAY_MS      on SIGTERM, how long readiness fails before the worker stops (default 0)
//   HEALTHSOCK_SOCKET   where the health socket listens (read by the healthsock CLI too)
//
// Probes:
//   startup, readiness  "is the connection to Redis up?" An outage is not this pod's fault and a
//                       restart does not end it, so it must never fail liveness.
//   liveness            "is the worker running, and is no job stuck?" A worker whose loop has
//                       stopped answers probes and takes no job, forever; a restart fixes it.
import { setTimeout as sleep } from 'node:timers/promises';
import { checks, createHealthServer } from '@healthsock/server';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL || 'redis://localhost:6379';
const queue = process.env.QUEUE || 'jobs';
const concurrency = whole('CONCURRENCY', 10);
const maxJobMs = whole('MAX_JOB_MS', 60_000);
const lockDurationMs = whole('LOCK_DURATION_MS', 30_000);
const drainDelayMs = whole('DRAIN_DELAY_MS', 0);
// Never print the password of the Redis URL in a probe's output or a log line.
const broker = redact(url);

// The age of the oldest job running. An empty queue hands out nothing and is healthy for ever;
// a job running past MAX_JOB_MS means the work is stuck. (BullMQ calls the processor; there is
// no poll of yours to beat on, so checks.progress would call an idle worker stuck.)
const jobs = checks.inflight({ maxAgeMs: maxJobMs });
let stopping = false;
let lastError = 'not connected yet';

// maxRetriesPerRequest: null, as BullMQ requires: a worker's commands wait out an outage (and
// ioredis reconnects) instead of failing. BullMQ duplicates this connection for its blocking reads.
const redis = new Redis(url, { maxRetriesPerRequest: null });
redis.on('ready', () => console.log(`connected to ${broker}, working on ${queue} with concurrency ${concurrency}`));
redis.on('error', (error: Error) => (lastError = error.message));
redis.on('end', () => console.log('connection ended'));
let wasReady = false;
redis.on('ready', () => (wasReady = true));
redis.on('close', () => {
  if (wasReady && !stopping) console.log(`connection lost: ${lastError}; reconnecting`);
  wasReady = false;
});

const worker = new Worker(queue, handle, {
  connection: redis,
  concurrency,
  lockDuration: lockDurationMs,
  stalledInterval: lockDurationMs,
});
// Errors of the worker's own loop (a lost connection among them): it retries by itself.
worker.on('error', (error: Error) => (lastError = error.message));

const health = createHealthServer();
health.addCheck(
  'redis',
  () => {
    if (stopping) throw new Error('shutting down');
    if (redis.status !== 'ready') throw new Error(`no connection to ${broker} (${redis.status}): ${lastError}`);
  },
  { probes: ['startup', 'readiness'] },
);
health.addCheck(
  'worker',
  () => {
    if (stopping) return { status: 'healthy', message: 'shutting down' };
    // Without Redis there is nothing to take: readiness reports the outage, ioredis retries.
    if (redis.status !== 'ready') return { status: 'healthy', message: 'reconnecting' };
    if (!worker.isRunning()) throw new Error(`the worker is not running (${worker.closing ? 'closed' : 'stopped'})`);
  },
  { probes: ['liveness'] },
);
health.addCheck('jobs', jobs, { probes: ['liveness'] });

await health.listen();
console.log(`listening on ${health.socketPath}`);
// Once: a second signal is left to Node's default and ends the process at once, as a second
// Ctrl-C should. Kubernetes sends one SIGTERM, then SIGKILL after the grace period.
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));

async function handle(job: Job<{ workMs?: number }>): Promise<void> {
  const done = jobs.begin(`${job.id} (${queue})`);
  try {
    await work(job);
    // A stalled job was taken by a worker that died before it completed; this is its second run.
    console.log(`processed ${job.id}${job.stalledCounter > 0 ? ' (redelivered)' : ''}`);
  } finally {
    done();
  }
}

// The work itself goes here. This stand-in takes as long as the job's `workMs` says (default
// 10 ms), so that a slow or a hung job can be tried: queue.add('try', { workMs: 600000 }).
async function work(job: Job<{ workMs?: number }>): Promise<void> {
  await sleep(typeof job.data.workMs === 'number' ? job.data.workMs : 10);
}

// SIGTERM (Kubernetes stopping the pod): readiness fails; the worker is paused, so it takes no
// new job; BullMQ's close() waits for the jobs running to finish and be marked completed, then
// closes its connections; this one closes last, and then nothing is left to run and the process
// exits. The jobs of a worker killed outright stay locked until LOCK_DURATION_MS passes, and
// then go back to the queue: at least once, so your handler must tolerate a second run.
async function stop(signal: NodeJS.Signals): Promise<void> {
  stopping = true;
  console.log(`${signal}: readiness fails`);
  await sleep(drainDelayMs);
  await worker.pause(true);
  console.log(`worker paused, ${jobs.size} in flight`);
  await worker.close();
  console.log('in-flight work completed');
  await redis.quit();
  console.log('worker and connection closed');
  await health.close();
}

function whole(name: string, fallback: number): number {
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
    return '(REDIS_URL is not a URL)';
  }
}
