// The frame each broker's test file shares: the example compiled, a private broker started, a pool
// of workers, and the cases whose steps are the same on every broker, each registered with vitest.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../../helpers/processes.js';
import {
  expectHealthyWhileIdle,
  expectHungJobNamed,
  rollingRestart,
  runManifestProbes,
  workerPool,
  expectOutageRidden,
  type RollingRestart,
  type Workers,
} from './consumerSuite.js';
import { buildExample, type ExampleWorker } from './exampleWorker.js';

/** The truth workers' MAX_JOB_MS: short, so that ten times it is a short test. */
const MAX_JOB_MS = 500;

/** What the frame needs of a private broker. */
interface PrivateBroker {
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

/** A kind of private broker: how to start one, and what tells a worker where it is. */
export interface BrokerKind<B extends PrivateBroker> {
  /** The Debian package that installs it, e.g. `redis-server`. */
  package: string;
  installed: boolean;
  create(): Promise<B>;
  /** The worker's environment that points it at `broker`. */
  env(broker: B): Record<string, string>;
}

/** Whether a broker's file skips itself: not installed, outside CI (where a missing one fails instead). */
export function skipWithout(kind: Pick<BrokerKind<never>, 'installed'>): boolean {
  return !kind.installed && process.env.CI !== 'true';
}

export interface ExampleOnBroker<B> {
  /** e.g. `bullmq-worker`: the folder under examples/. */
  example: string;
  /** The example's readiness check of its broker connection, e.g. `redis`. */
  readinessCheck: string;
  /** The file's temporary folder: the compiled example, the sockets, the shims. */
  dir: string;
  workers: Workers;
  /** The broker, once beforeAll has started it. */
  broker(): B;
  /**
   * Starts a worker on the queue truth-hang and gives it a job that never finishes: liveness must
   * fail naming the job (see expectHungJobNamed). Resolves with the worker, still running.
   */
  hangAJob(options: HangOptions): Promise<ExampleWorker>;
  /** Registers the idle-queue case: see itPassesWhileIdle. */
  itPassesWhileIdle(timeoutMs: number): void;
  /** Registers the outage case: see itRidesOutAnOutage. */
  itRidesOutAnOutage(title: string, timeoutMs: number, options: OutageOptions): void;
  /** Registers the two rolling restarts: see itLosesNothingInARollingRestart. */
  itLosesNothingInARollingRestart(items: string, options: RestartOptions): void;
}

type HangOptions = Pick<Parameters<typeof expectHungJobNamed>[1], 'enqueue' | 'consumerCheck'>;
type OutageOptions = Pick<Parameters<typeof expectOutageRidden>[1], 'enqueue' | 'message'>;
type RestartOptions = Omit<RollingRestart, 'signal' | 'count' | 'workers' | 'readinessCheck'> & {
  afterwards(queue: string): Promise<void>;
};

/**
 * A temporary folder, examples/`example` compiled there (with its broker `clients` linked) while a
 * private broker of `kind` starts, and a pool of its workers with MAX_JOB_MS; all of it removed
 * after the file.
 */
export function useExampleOnBroker<B extends PrivateBroker>(
  example: string,
  clients: string[],
  kind: BrokerKind<B>,
  options: { setupTimeoutMs: number; readinessCheck: string },
): ExampleOnBroker<B> {
  const dir = tempDir();
  let broker: B | undefined;
  let script = '';
  const current = () => broker as B;
  const workers = workerPool(
    () => script,
    dir.path,
    () => ({ ...kind.env(current()), MAX_JOB_MS: String(MAX_JOB_MS) }),
  );

  beforeAll(async () => {
    if (!kind.installed) {
      throw new Error(`${kind.package} is not installed: .ci/run installs it (apt-get install ${kind.package})`);
    }
    const built = buildExample(example, join(dir.path, 'project'), clients);
    broker = await kind.create();
    await broker.start();
    script = await built;
  }, options.setupTimeoutMs);

  afterAll(async () => {
    await workers.killAll();
    await broker?.remove();
    dir.remove();
  }, 60_000);

  const suite: ExampleOnBroker<B> = {
    example,
    readinessCheck: options.readinessCheck,
    dir: dir.path,
    workers,
    broker: current,
    async hangAJob(options) {
      const worker = workers.start('hang', 'truth-hang');
      await expectHungJobNamed(worker, { ...options, queue: 'truth-hang', maxJobMs: MAX_JOB_MS });
      return worker;
    },
    itPassesWhileIdle: (timeoutMs) => itPassesWhileIdle(suite, timeoutMs),
    itRidesOutAnOutage: (title, timeoutMs, options) => itRidesOutAnOutage(suite, title, timeoutMs, options),
    itLosesNothingInARollingRestart: (items, options) => itLosesNothingInARollingRestart(suite, items, options),
  };
  return suite;
}

/**
 * An idle queue passes liveness for ten times MAX_JOB_MS, and the three probe commands of the
 * example's k8s/deployment.yaml, run as written, pass against it.
 */
function itPassesWhileIdle(suite: ExampleOnBroker<PrivateBroker>, timeoutMs: number): void {
  it(
    `an idle queue passes liveness for ten times MAX_JOB_MS (${MAX_JOB_MS} ms)`,
    async () => {
      const worker = suite.workers.start('idle', 'truth-idle');
      await expectHealthyWhileIdle(worker, MAX_JOB_MS);
      expect(await runManifestProbes(worker, suite.example, join(suite.dir, 'bin'))).toEqual({
        startupProbe: true,
        livenessProbe: true,
        readinessProbe: true,
      });
      await worker.kill('SIGTERM');
    },
    timeoutMs,
  );
}

/**
 * The rolling restart of 5000 `items`, once with SIGTERM and once with kill -9 to one of two
 * workers (see rollingRestart); `afterwards` then checks with the broker that nothing is left over.
 */
function itLosesNothingInARollingRestart(
  suite: ExampleOnBroker<PrivateBroker>,
  items: string,
  options: RestartOptions,
): void {
  const { afterwards, ...restart } = options;
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const how = signal === 'SIGTERM' ? 'SIGTERM to one' : 'kill -9 to one';
    it(`5000 ${items}, two workers, ${how} mid-stream and a replacement started: none lost`, async () => {
      await rollingRestart({
        ...restart,
        signal,
        count: 5000,
        workers: suite.workers,
        readinessCheck: suite.readinessCheck,
      });
      await afterwards(`noloss-${signal}`);
    }, 180_000);
  }
}

/**
 * `title`: the broker stops and starts again while a worker rides it out (see expectOutageRidden),
 * readiness failing with `message` from `readinessCheck` meanwhile.
 */
function itRidesOutAnOutage(
  suite: ExampleOnBroker<PrivateBroker>,
  title: string,
  timeoutMs: number,
  options: OutageOptions,
): void {
  it(
    title,
    async () => {
      const worker = suite.workers.start('outage', 'truth-outage');
      await expectOutageRidden(worker, {
        ...options,
        readinessCheck: suite.readinessCheck,
        queue: 'truth-outage',
        stop: () => suite.broker().stop(),
        start: () => suite.broker().start(),
      });
      await worker.kill('SIGTERM');
    },
    timeoutMs,
  );
}
