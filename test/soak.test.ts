// Soak: 100,000 sequential probes, then a burst of 1,000 concurrent ones, against a worker
// process. Its descriptors must return to their baseline and its heap must stay flat.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from './helpers/exchange.js';
import { startWorker, tempDir, type Worker } from './helpers/processes.js';
import { sleep } from './helpers/time.js';

const PROBES = Number(process.env.SOAK_PROBES ?? 100_000);
const BURST = 1000;

const dir = tempDir();
const socket = join(dir.path, 'soak.sock');
let worker: Worker;

beforeAll(async () => {
  worker = await startWorker(
    socket,
    [
      { name: 'db', behaviour: 'pass' },
      { name: 'cache', behaviour: 'degraded' },
      { name: 'loop', behaviour: 'pass', probes: ['liveness'] },
    ],
    { nodeArgs: ['--expose-gc'], env: { HS_OPTIONS: JSON.stringify({ maxConnections: BURST }) } },
  );
});

afterAll(async () => {
  await worker.kill();
  dir.remove();
});

/** The worker's open descriptors and its heap after a full collection. */
async function stats(): Promise<{ fds: number; heap: number }> {
  worker.send('stats');
  const [, fds, heap] = (await worker.nextLine('stats')).split(' ');
  return { fds: Number(fds), heap: Number(heap) };
}

const probe = async (request: string) => (await exchange(socket, request)).reply;

const REQUESTS = ['liveness\n', 'readiness\n', '{"probe":"startup","timeoutMs":500}\n', 'hc', 'nonsense\n'];

describe('soak', () => {
  it(`serves ${PROBES} sequential probes and a burst of ${BURST} with flat descriptors and heap`, async () => {
    for (let i = 0; i < 1000; i++) await probe(REQUESTS[i % REQUESTS.length] as string);
    const baseline = await stats();

    const started = performance.now();
    for (let i = 0; i < PROBES; i++) {
      const reply = await probe(REQUESTS[i % REQUESTS.length] as string);
      if (reply.length === 0) throw new Error(`probe ${i} got no reply`);
    }
    const sequentialMs = performance.now() - started;
    const afterSequential = await stats();

    const outcomes = await Promise.all(
      Array.from({ length: BURST }, () =>
        probe('readiness\n').then(
          (reply) => (reply.includes('"status"') ? 'answered' : 'refused'),
          (error: NodeJS.ErrnoException) => `connect ${error.code}`,
        ),
      ),
    );
    await sleep(200);
    const afterBurst = await stats();

    const counts = outcomes.reduce<Record<string, number>>(
      (all, outcome) => ({ ...all, [outcome]: (all[outcome] ?? 0) + 1 }),
      {},
    );
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
    console.log(
      [
        `${PROBES} sequential probes in ${(sequentialMs / 1000).toFixed(1)} s (${((PROBES / sequentialMs) * 1000).toFixed(0)}/s)`,
        `burst of ${BURST}: ${JSON.stringify(counts)}`,
        `descriptors: ${baseline.fds} at baseline, ${afterSequential.fds} after the sequential run, ${afterBurst.fds} after the burst`,
        `heap after gc: ${mib(baseline.heap)} MiB at baseline, ${mib(afterSequential.heap)} MiB after, ${mib(afterBurst.heap)} MiB after the burst`,
      ].join('\n'),
    );

    expect(afterSequential.fds).toBe(baseline.fds);
    expect(afterBurst.fds).toBe(baseline.fds);
    // With room for the whole burst, every probe is answered, unless the kernel's listen backlog
    // overflows first and refuses the connection itself.
    expect((counts.answered ?? 0) + (counts['connect EAGAIN'] ?? 0)).toBe(BURST);
    expect(counts.answered).toBeGreaterThan(BURST / 2);
    // A leak of even 20 bytes per probe would show as 2 MB here.
    expect(afterSequential.heap - baseline.heap).toBeLessThan(1024 * 1024);
    expect(afterBurst.heap - baseline.heap).toBeLessThan(1024 * 1024);
  }, 120_000);
});
