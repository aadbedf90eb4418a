// What both queue examples are tested for, written once: each broker's test file supplies how to
// start its worker and how to enqueue, and these drive the same truth and no-loss cases.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PROBE_KINDS, readDeployments, runExecProbe, type Container, type Probe } from '../../helpers/kubelet.js';
import { CLI_BIN, childEnv } from '../../helpers/processes.js';
import { probe, probeUntil, startExample, type ExampleWorker } from './exampleWorker.js';
import { countRun, reportRun, type RunReport } from './noLoss.js';
import { sleep } from '../../helpers/time.js';

export interface Workers {
  /** Starts the compiled example on `queue`, with the base environment and `env` on top. */
  start(
    name: string,
    queue: string,
    env?: Record<string, string>,
    onLine?: (line: string, worker: string) => void,
  ): ExampleWorker;
  /** Kills every worker still running. */
  killAll(): Promise<void>;
}

/** Starts workers of one compiled example, each on its own socket in `dir`, and remembers them. */
export function workerPool(script: () => string, dir: string, baseEnv: () => Record<string, string>): Workers {
  const started: ExampleWorker[] = [];
  return {
    start(name, queue, env = {}, onLine) {
      const worker = startExample(
        script(),
        name,
        join(dir, `${name}.sock`),
        { ...baseEnv(), QUEUE: queue, ...env },
        onLine,
      );
      started.push(worker);
      return worker;
    },
    async killAll() {
      await Promise.all(started.map((worker) => worker.kill()));
    },
  };
}

/** Probes liveness for ten times `maxJobMs` of an idle queue: every probe must pass. */
export async function expectHealthyWhileIdle(worker: ExampleWorker, maxJobMs: number): Promise<void> {
  await worker.waitFor(/^connected/);
  const until = Date.now() + 10 * maxJobMs;
  let probes = 0;
  while (Date.now() < until) {
    const result = await probe(worker, 'liveness');
    expect(result.passed, result.output).toBe(true);
    probes += 1;
  }
  expect(probes).toBeGreaterThanOrEqual(3);
  expect((await probe(worker, 'readiness')).passed).toBe(true);
}

/** Liveness passes a few times in a row: an outage the worker is riding out must not restart it. */
export async function expectLiveThroughout(worker: ExampleWorker): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const liveness = await probe(worker, 'liveness');
    expect(liveness.passed, liveness.output).toBe(true);
    await sleep(300);
  }
}

export interface RollingRestart {
  /** e.g. `rabbitmq`: names the run in the printed counts. */
  broker: string;
  signal: 'SIGTERM' | 'SIGKILL';
  count: number;
  workers: Workers;
  env: Record<string, string>;
  enqueue(queue: string, jobs: { id: string; workMs: number }[]): Promise<void>;
  /** The readiness check whose message says `shutting down` after SIGTERM. */
  readinessCheck: string;
  /** The lines a graceful shutdown prints, in order: the second is where the consumer stops taking work. */
  steps: RegExp[];
}

/**
 * Two workers share a queue of `count` jobs; mid-stream one gets `signal`, and a replacement
 * starts, as in a rolling restart. After SIGTERM, readiness must fail while the worker still takes
 * work, and it must exit 0 after its shutdown steps, in order. Every job must be processed.
 */
export async function rollingRestart(options: RollingRestart): Promise<RunReport> {
  const { signal, workers } = options;
  const queue = `noloss-${signal}`;
  const run = countRun();
  const a = workers.start(`${signal}-a`, queue, options.env, run.onLine);
  const b = workers.start(`${signal}-b`, queue, options.env, run.onLine);
  await Promise.all([a.waitFor(/^connected/), b.waitFor(/^connected/)]);
  const ids = Array.from({ length: options.count }, (_, i) => `m${i}`);
  await options.enqueue(
    queue,
    ids.map((id) => ({ id, workMs: 3 })),
  );
  await run.until(() => run.unique() >= options.count / 5, 60_000);
  const victim = signal === 'SIGTERM' ? a : b;
  victim.child.kill(signal);
  if (signal === 'SIGTERM') {
    const failed = await probeUntil(victim, 'readiness', (result) => !result.passed, 5000);
    const failedAt = Date.now();
    expect(failed.checks[options.readinessCheck]?.message).toBe('shutting down');
    const liveness = await probe(victim, 'liveness');
    expect(liveness.passed, liveness.output).toBe(true);
    expect(await victim.exited, victim.stderr()).toEqual({ code: 0, signal: null });
    const steps = options.steps.map((pattern) => victim.lines.findIndex((line) => pattern.test(line.text)));
    const tail = victim.lines.filter((line) => !/^(acked|processed) /.test(line.text)).map((line) => line.text);
    expect(
      steps.every((step) => step !== -1),
      tail.join('\n'),
    ).toBe(true);
    expect(
      [...steps].sort((x, y) => x - y),
      tail.join('\n'),
    ).toEqual(steps);
    // The consumer still took work after a probe had seen readiness fail.
    const stoppedTaking = steps[1] as number;
    const takenAfterFailure = victim.lines
      .slice(0, stoppedTaking)
      .filter((line) => line.at > failedAt && /^(acked|processed) /.test(line.text));
    expect(takenAfterFailure.length).toBeGreaterThan(0);
    // What it still held when it stopped taking work (and, with BullMQ, what a fetch already under
    // way brought in) was finished before the next step, and nothing after it.
    const held = Number(/(\d+) in flight/.exec(victim.lines[stoppedTaking]?.text ?? '')?.[1]);
    const finishedAt = (from: number, to?: number) =>
      victim.lines.slice(from, to).filter((line) => /^(acked|processed) /.test(line.text)).length;
    expect(finishedAt(stoppedTaking, steps[2])).toBeGreaterThanOrEqual(held);
    expect(finishedAt(steps[2] as number)).toBe(0);
  } else {
    await victim.exited;
  }
  // The rolling restart's replacement.
  const c = workers.start(`${signal}-c`, queue, options.env, run.onLine);
  await run.until(() => run.unique() >= options.count, 90_000);
  await sleep(500);
  await Promise.all([a, b, c].map((worker) => worker.kill('SIGTERM')));
  const report = reportRun(`${options.broker}, ${signal === 'SIGTERM' ? 'SIGTERM' : 'kill -9'} mid-stream`, ids, run);
  expect(report.lost).toBe(0);
  expect(report.unknown).toBe(0);
  // A graceful shutdown finishes all it took, so nothing runs twice; a kill -9 leaves its jobs to
  // the others, which the workers mark as redelivered.
  if (signal === 'SIGTERM') expect(report.duplicates).toBe(0);
  else expect(report.redelivered).toBeGreaterThan(0);
  return report;
}

type Enqueue = (queue: string, jobs: { id: string; workMs: number }[]) => Promise<void>;

/**
 * A job that never finishes: liveness fails within ten times `maxJobMs`, its `jobs` check naming
 * the job and its queue, while the consumer's own check and readiness still pass.
 */
export async function expectHungJobNamed(
  worker: ExampleWorker,
  options: { queue: string; maxJobMs: number; enqueue: Enqueue; consumerCheck: string },
): Promise<void> {
  await worker.waitFor(/^connected/);
  await options.enqueue(options.queue, [{ id: 'stuck-1', workMs: 600_000 }]);
  const failed = await probeUntil(worker, 'liveness', (result) => !result.passed, 10 * options.maxJobMs);
  expect(failed.checks.jobs?.message).toMatch(
    new RegExp(`^job stuck-1 \\(${options.queue}\\) in flight for [\\d.]+ m?s \\(max ${options.maxJobMs} ms\\)$`),
  );
  expect(failed.checks[options.consumerCheck]?.status).toBe('healthy');
  // The broker is up: readiness has nothing to report, and liveness alone restarts the pod.
  expect((await probe(worker, 'readiness')).passed).toBe(true);
}

/**
 * The broker stops: readiness fails with `message` and liveness keeps passing; it starts again:
 * readiness passes, and a job enqueued then is processed.
 */
export async function expectOutageRidden(
  worker: ExampleWorker,
  options: {
    queue: string;
    stop(): Promise<void>;
    start(): Promise<void>;
    enqueue: Enqueue;
    readinessCheck: string;
    message: RegExp;
  },
): Promise<void> {
  await worker.waitFor(/^connected/);
  await options.stop();
  const down = await probeUntil(worker, 'readiness', (result) => !result.passed, 15_000);
  expect(down.checks[options.readinessCheck]?.message).toMatch(options.message);
  await expectLiveThroughout(worker);
  await options.start();
  await probeUntil(worker, 'readiness', (result) => result.passed, 30_000);
  await options.enqueue(options.queue, [{ id: 'after-outage', workMs: 1 }]);
  await worker.waitFor(/^(acked|processed) after-outage$/, 30_000);
  expect((await probe(worker, 'liveness')).passed).toBe(true);
}

/**
 * The broker has just dropped the worker's connection: the worker prints `lost`, liveness keeps
 * passing, readiness passes again once it has reconnected, and a job `id` enqueued then is
 * `finished` (a line), after which liveness still passes.
 */
export async function expectReconnected(
  worker: ExampleWorker,
  options: { lost: RegExp; queue: string; enqueue: Enqueue; id: string; finished: RegExp },
): Promise<void> {
  await worker.waitFor(options.lost);
  expect((await probe(worker, 'liveness')).passed).toBe(true);
  await probeUntil(worker, 'readiness', (result) => result.passed, 15_000);
  await options.enqueue(options.queue, [{ id: options.id, workMs: 1 }]);
  await worker.waitFor(options.finished, 30_000);
  expect((await probe(worker, 'liveness')).passed).toBe(true);
}

/**
 * Runs the three probe commands of the example's k8s/deployment.yaml exactly as written, with
 * kubelet's timeoutSeconds, against `worker`: `healthsock` on the PATH is a shim for the
 * workspace's build, as node_modules/.bin puts it in the image. Returns each probe's outcome.
 */
export async function runManifestProbes(
  worker: ExampleWorker,
  example: string,
  shims: string,
): Promise<Record<string, boolean>> {
  const manifest = fileURLToPath(new URL(`../../../examples/${example}/k8s/deployment.yaml`, import.meta.url));
  const container = readDeployments(manifest)[0]?.spec.template.spec.containers[0] as Container;
  mkdirSync(shims, { recursive: true });
  writeFileSync(join(shims, 'healthsock'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`, {
    mode: 0o755,
  });
  const env = childEnv({
    HEALTHSOCK_SOCKET: worker.socket,
    PATH: `${shims}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  });
  const outcomes: Record<string, boolean> = {};
  for (const kind of PROBE_KINDS) outcomes[kind] = (await runExecProbe(container[kind] as Probe, env)).passed;
  return outcomes;
}
