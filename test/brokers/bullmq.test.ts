// examples/bullmq-worker against a real Redis (Debian's redis-server, a private instance): its
// probes tell the truth about outages, dropped connections, hung jobs and idle queues, and a
// rolling restart, graceful or kill -9, loses no job.
import { Queue } from 'bullmq';
import { Redis as RedisClient } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { expectReconnected } from './helpers/consumerSuite.js';
import { REDIS } from './helpers/redis.js';
import { skipWithout, useExampleOnBroker } from './helpers/useExampleOnBroker.js';

describe.skipIf(skipWithout(REDIS))('examples/bullmq-worker on a real Redis', () => {
  const suite = useExampleOnBroker('bullmq-worker', ['bullmq', 'ioredis'], REDIS, {
    setupTimeoutMs: 120_000,
    readinessCheck: 'redis',
  });
  const { workers, broker: server } = suite;

  const queueOf = (name: string) =>
    new Queue(name, { connection: { host: '127.0.0.1', port: server().port, maxRetriesPerRequest: null } });
  /** Enqueues jobs and closes the producer's connection, which must not outlive a Redis stop. */
  const enqueue = async (name: string, jobs: { id: string; workMs: number }[]) => {
    const queue = queueOf(name);
    await queue.addBulk(jobs.map(({ id, workMs }) => ({ name: 'job', data: { workMs }, opts: { jobId: id } })));
    await queue.close();
  };

  describe('the probes tell the truth', () => {
    suite.itPassesWhileIdle(60_000);

    it('a job that hangs fails liveness naming the job, and not readiness', async () => {
      const worker = await suite.hangAJob({ enqueue, consumerCheck: 'worker' });
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
      await expectReconnected(worker, {
        lost: /^connection lost/,
        queue: 'truth-killed',
        enqueue,
        id: 'after-kill',
        finished: /^processed after-kill$/,
      });
      await worker.kill('SIGTERM');
    }, 60_000);

    suite.itRidesOutAnOutage(
      'stopping Redis fails readiness and not liveness; starting it again passes readiness, and the worker takes jobs again',
      90_000,
      { enqueue, message: /^no connection to redis:\/\/127\.0\.0\.1:\d+ \(\w+\)/ },
    );
  });

  describe('a rolling restart loses no job', () => {
    suite.itLosesNothingInARollingRestart('jobs', {
      broker: 'bullmq',
      // A drain delay, so that the order of the shutdown can be seen from outside; a short
      // lock, so that a killed worker's jobs come back within seconds.
      env: { CONCURRENCY: '20', DRAIN_DELAY_MS: '6000', MAX_JOB_MS: '30000', LOCK_DURATION_MS: '2000' },
      enqueue,
      steps: [
        /^SIGTERM: readiness fails$/,
        /^worker paused, \d+ in flight$/,
        /^in-flight work completed$/,
        /^worker and connection closed$/,
      ],
      // Every job ended completed in Redis: none waiting, none stuck active, none failed.
      async afterwards(name) {
        const queue = queueOf(name);
        expect(await queue.getJobCounts('wait', 'active', 'failed', 'completed')).toEqual({
          wait: 0,
          active: 0,
          failed: 0,
          completed: 5000,
        });
        await queue.close();
      },
    });
  });
});
