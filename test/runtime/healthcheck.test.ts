// The example worker's image and its HEALTHCHECK, judged by podman rather than by our own code.
//
// The image is built from examples/worker/Dockerfile's runtime stage (see workerDockerfile):
// its USER, ENV, socket directory, CMD and HEALTHCHECK command, timeout and retries as written.
// What differs is how the base and the built files arrive (a locally made Node 24 base instead
// of node:24-bookworm-slim, the build stage's /app from a prepared context) and the check's
// interval and start period, shortened so that a test need not wait 60 s.
//
// Without systemd nothing runs podman's health-check timer, so the tests call
// `podman healthcheck run` where the timer would. That stands in for the clock only: the check
// runs inside the container, and the verdict, the health log and the restart are podman's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDependency, type Dependency } from '../helpers/dependency.js';
import { EXAMPLE } from '../helpers/example.js';
import { podmanIn, runDetached, runHealthCheck, runHealthCheckUntilPassing, waitForLog } from '../helpers/podman.js';
import { expectRestartedWhenFrozen } from '../helpers/expectRestartedWhenFrozen.js';
import { sleep } from '../helpers/time.js';

const problem = inject('podmanProblem');
const podman = podmanIn(inject('podmanDir'));
const image = inject('workerImage');
const run = `hc-${process.pid}-${Date.now().toString(36)}`;

describe.skipIf(problem)('the example image under podman', () => {
  let dependency: Dependency;
  let retries: number;
  let startPeriodMs: number;

  beforeAll(async () => {
    dependency = await createDependency('up');
    const config = JSON.parse(await podman.ok(['image', 'inspect', '--format', '{{json .Config.Healthcheck}}', image]));
    expect(config.Test).toEqual(['CMD', 'healthsock', 'readiness']);
    // Docker's default when the line sets none; the example writes it out (podman's default is 0).
    retries = config.Retries ?? 3;
    expect(retries).toBeGreaterThanOrEqual(1);
    startPeriodMs = (config.StartPeriod ?? 0) / 1e6;
  });

  it('is built from the example’s runtime stage, changed only in how the base and the built files arrive and in the check’s timing', () => {
    const example = readFileSync(join(EXAMPLE, 'Dockerfile'), 'utf8');
    const stage = example.slice(example.lastIndexOf('\nFROM ') + 1).split('\n');
    const built = readFileSync(join(inject('podmanDir'), 'worker/Dockerfile'), 'utf8').split('\n');
    expect(built).toHaveLength(stage.length);
    const changed = built.flatMap((line, index) =>
      line === stage[index] ? [] : [{ from: stage[index] ?? '', to: line }],
    );
    for (const { from, to } of changed) {
      const kind = from.split(' ')[0];
      expect(['FROM', 'COPY', 'HEALTHCHECK'], `${from} -> ${to}`).toContain(kind);
      if (kind === 'HEALTHCHECK') {
        const withoutTiming = (line: string) => line.replace(/ --(interval|start-period)=\S+/g, '');
        expect(withoutTiming(to)).toBe(withoutTiming(from));
      }
    }
  });

  it('runs the native healthsock that npm ci linked into node_modules/.bin, with no Node started', async () => {
    const version = await podman.exec(['run', '--rm', '--network', 'none', image, 'healthsock', '--version']);
    expect(version).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+ \(native, linux-x64\)\n$/),
    });
  });

  afterAll(async () => {
    await podman.exec(['rm', '--force', '--time', '0', `${run}-1`, `${run}-2`]);
    await dependency?.down();
  });

  /** Starts the worker image on the host's network, so that it reaches the test's dependency. */
  async function startWorker(name: string, extra: string[] = []) {
    await runDetached(podman, name, image, {
      network: 'host',
      env: { DEPENDENCY_HOST: dependency.host, DEPENDENCY_PORT: String(dependency.port) },
      options: extra,
    });
    await waitForLog(podman, name, 'listening on /run/healthsock/health.sock');
    // podman counts no failure during the start period.
    await sleep(startPeriodMs);
  }

  it('is healthy while the dependency is up, unhealthy with healthsock’s line while it is down, and healthy again after', async () => {
    const name = `${run}-1`;
    await startWorker(name);

    const up = await runHealthCheckUntilPassing(podman, name);
    expect(up.code, up.output).toBe(0);
    expect(up.health.Status).toBe('healthy');
    expect(up.health.Log?.at(-1)?.Output).toMatch(/^healthy: readiness passed at \/run\/healthsock\/health\.sock/);

    await dependency.down();
    const down = [];
    for (let attempt = 1; attempt <= retries; attempt += 1) {
      const result = await runHealthCheck(podman, name);
      down.push(result);
      expect(result.code).toBe(1);
      expect(result.health.FailingStreak).toBe(attempt);
      // podman waits for `retries` failures in a row before it calls the container unhealthy.
      expect(result.health.Status).toBe(attempt < retries ? 'healthy' : 'unhealthy');
    }
    const failed = down.at(-1)?.health.Log?.at(-1);
    expect(failed?.ExitCode).toBe(1);
    expect(failed?.Output).toMatch(
      /^unhealthy: readiness failed at \/run\/healthsock\/health\.sock: dependency: .*ECONNREFUSED/,
    );

    await dependency.up();
    const recovered = await runHealthCheckUntilPassing(podman, name);
    expect(recovered.code, recovered.output).toBe(0);
    expect(recovered.health).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
  });

  it('with --health-on-failure=restart, restarts a worker whose event loop is frozen', async () => {
    const name = `${run}-2`;
    await dependency.up(); // whatever the test before left
    // A frozen worker cannot run its SIGTERM handler, so podman waits out the stop timeout
    // (10 s by default) before it kills it; 1 s keeps the test short.
    await startWorker(name, ['--health-on-failure=restart', '--stop-timeout', '1']);
    const healthy = await expectRestartedWhenFrozen(
      podman,
      name,
      retries,
      /^timeout: no reply from \/run\/healthsock\/health\.sock within 800 ms/,
    );
    expect(healthy.health.Status).toBe('healthy');
  });
});
