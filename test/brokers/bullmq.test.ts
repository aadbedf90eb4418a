// examples/bullmq-worker against a real Redis (Debian's redis-server, a private instance): its
// probes tell the truth about outages, dropped connections, hung jobs and idle queues, and a
// rolling restart, graceful or kill -9, loses no job.
import { Queue } from 'bullmq';
import { Redis as RedisClient } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  expectHungJobNamed,
  expectOutageRidden,
  itPassesWhileIdle,
  rollingRestart,
  useExampleOnBroker,
} from './helpers/consumerSuite.js';
import { probe, probeUntil } from './helpers/exampleWorker.js';
import { createRedis, REDIS_INSTALLED } from './helpers/redis.js';

/** The truth workers' MAX_JOB_MS: short, so that ten times it is a short test. */
const MAX_JOB_MS = 500;

describe.skipIf(!REDIS_INSTALLED && process.env.CI !== 'true')('examples/bullmq-worker on a real Redis', () => {
  const suite = useExampleOnBroker({
    example: 'bullmq-worker',
    clients: ['bullmq', 'ioredis'],
    missing: REDIS_INSTALLED
      ? undefined
      : 'redis-server is not installed: .ci/run installs it (apt-get install redis-server)',
    create: createRedis,
    env: (redis) => ({ REDIS_URL: redis.url, MAX_JOB_MS: String(MAX_JOB_MS) }),
    setupTimeoutMs: 120_000,
  });
  const { workers } = suite;
  const server = suite.broker;

  const queueOf = (name: string) =>
    new Queue(name, { connection: { host: '127.0.0.1', port: server().port, maxRetriesPerRequest: null } });
  /** Enqueues jobs and closes the producer's connection, which must not outlive a Redis stop. */
  const enqueue = async (name: string, jobs: { id: string; workMs: number }[]) => {
    const queue = queueOf(name);
    await queue.addBulk(jobs.map(({ id, workMs }) => ({ name: 'job', data: { workMs }, opts: { jobId: id } })));
    await queue.close();
  };

  describe('the probes tell the truth', () => {
    itPassesWhileIdle(suite, 'bullmq-worker', MAX_JOB_MS, 60_000);

    it('a job that hangs fails liveness naming the job, and not readiness', async () => {
      const worker = workers.start('hang', 'truth-hang');
      await expectHungJobNamed(worker, { queue: 'truth-hang', maxJobMs: MAX_JOB_MS, enqueue, consumerCheck: 'worker' });
      await worker.kill();
    }, 60_000);

    it('connections Redis drops (CLIENT KILL) are reopened: the worker takes jobs again, and liveness never fails', async () => {
      const worker = workers.start('killed', 'truth-killed');
      await worker.waitFor(/^connected/);
      const admin = new RedisClient(server().port, '127.0.0.1');
      try {
        expect(Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'normal'))).toBeGreaterThan(0);
      } finally {
        admin.disconnect();
      }
      await worker.waitFor(/^connection lost/);
      expect((await probe(worker, 'liveness')).passed).toBe(true);
      await probeUntil(worker, 'readiness', (result) => result.passed, 15_000);
      await enqueue('truth-killed', [{ id: 'after-kill', workMs: 1 }]);
      await worker.waitFor(/^processed after-kill$/, 30_000);
      expect((await probe(worker, 'liveness')).passed).toBe(true);
      await worker.kill('SIGTERM');
    }, 60_000);

    it('stopping Redis fails readiness and not liveness; starting it again passes readiness, and the worker takes jobs again', async () => {
      const worker = workers.start('outage', 'truth-outage');
      await expectOutageRidden(worker, {
        queue: 'truth-outage',
        stop: () => server().stop(),
        start: () => server().start(),
        enqueue,
        readinessCheck: 'redis',
        message: /^no connection to redis:\/\/127\.0\.0\.1:\d+ \(\w+\)/,
      });
      await worker.kill('SIGTERM');
    }, 90_000);
  });

  describe('a rolling restart loses no job', () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`5000 jobs, two workers, ${signal === 'SIGTERM' ? 'SIGTERM to one' : 'kill -9 to one'} mid-stream and a replacement started: none lost`, async () => {
        await rollingRestart({
          broker: 'bullmq',
          signal,
          count: 5000,
          workers,
          // A drain delay, so that the order of the shutdown can be seen from outside; a short
          // lock, so that a killed worker's jobs come back within seconds.
          env: { CONCURRENCY: '20', DRAIN_DELAY_MS: '6000', MAX_JOB_MS: '30000', LOCK_DURATION_MS: '2000' },
          enqueue,
          readinessCheck: 'redis',
          steps: [
            /^SIGTERM: readiness fails$/,
            /^worker paused, \d+ in flight$/,
            /^in-flight work completed$/,
            /^worker and connection closed$/,
          ],
        });
        // Every job ended completed in Redis: none waiting, none stuck active, none failed.
        const queue = queueOf(`noloss-${signal}`);
        expect(await queue.getJobCounts('wait', 'active', 'failed', 'completed')).toEqual({
          wait: 0,
          active: 0,
          failed: 0,
          completed: 5000,
        });
        await queue.close();
      }, 180_000);
    }
  });
});
