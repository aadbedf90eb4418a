// The smallest image a probe can live in: `FROM scratch` and the native binary, nothing else (no
// shell, no libc, no /etc). The binary is the image's HEALTHCHECK and also its main process
// (`healthsock --watch`, which keeps printing one line per change). podman runs the check, and
// it follows a real worker (the fixture worker with @healthsock/server, on the host) through its
// Unix socket, in a directory the container mounts, and, in a second image that differs only in
// its HEALTHCHECK, over http://.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { runDetached, runHealthCheck, runHealthCheckUntilPassing } from '../helpers/podman.js';
import { podmanForFile } from '../helpers/podmanForFile.js';
import { startWorker, type Worker } from '../helpers/processes.js';
import { ensureBinary } from '../helpers/runtimeImages.js';

const { problem, dir, podman, run } = podmanForFile('scratch');
const SOCKET_IMAGE = 'localhost/healthsock-test/scratch:latest';
const HTTP_IMAGE = 'localhost/healthsock-test/scratch-http:latest';

describe.skipIf(problem)('a FROM scratch image that holds only the native binary', () => {
  const socketDir = join(dir, `${run}-socket`);
  let worker: Worker & { status: string };
  let port: number;

  beforeAll(async () => {
    const binary = await ensureBinary();
    const context = join(dir, `${run}-context`);
    mkdirSync(context);
    copyFileSync(binary, join(context, 'healthsock-linux-x64'));
    const dockerfile = (healthcheck: string[]) =>
      [
        'FROM scratch',
        'COPY --chmod=0755 healthsock-linux-x64 /healthsock',
        'ENV HEALTHSOCK_SOCKET=/run/healthsock/health.sock',
        'USER 1000:1000',
        `HEALTHCHECK --interval=2s --timeout=2s --retries=1 CMD ${JSON.stringify(healthcheck)}`,
        // Something must run: the binary itself, watching the worker's liveness.
        'CMD ["/healthsock", "liveness", "--watch", "5s"]',
        '',
      ].join('\n');
    writeFileSync(join(context, 'Dockerfile'), dockerfile(['/healthsock', 'readiness']));
    await podman.ok(['build', '--format', 'docker', '--tag', SOCKET_IMAGE, context], { killAfterMs: 120_000 });
    port = await freePort();
    writeFileSync(join(context, 'Dockerfile'), dockerfile(['/healthsock', 'readiness', `http://127.0.0.1:${port}`]));
    await podman.ok(['build', '--format', 'docker', '--tag', HTTP_IMAGE, context], { killAfterMs: 120_000 });

    // The worker's socket in a directory the container mounts, connectable by the container's user.
    mkdirSync(socketDir);
    chmodSync(socketDir, 0o777);
    worker = await startWorker(join(socketDir, 'health.sock'), [{ name: 'database', behaviour: 'pass' }], {
      env: { HS_OPTIONS: JSON.stringify({ socketMode: 0o666, http: { port, host: '127.0.0.1' } }) },
    });
    expect(worker.status).toBe('listening');
  });

  afterAll(async () => {
    await podman.exec(['rm', '--force', '--time', '0', `${run}-socket`, `${run}-http`]);
    await worker?.kill();
  });

  /** Sets the worker's check, as its database going away and coming back would. */
  async function database(behaviour: 'pass' | 'fail') {
    worker.send(`set database ${behaviour}`);
    await worker.nextLine('set');
  }

  it('is one layer of one small file: no shell, no libc, nothing to run but healthsock', async () => {
    const [layers, size] = (
      await podman.ok(['image', 'inspect', '--format', '{{len .RootFS.Layers}} {{.Size}}', SOCKET_IMAGE])
    )
      .trim()
      .split(' ')
      .map(Number);
    expect(layers).toBe(1);
    expect(size).toBeLessThan(1024 * 1024);
    const shell = await podman.exec(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', SOCKET_IMAGE]);
    expect(shell.code).not.toBe(0);
    const version = await podman.exec(['run', '--rm', '--network', 'none', SOCKET_IMAGE, '/healthsock', '--version']);
    expect(version).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+ \(native, linux-x64\)\n$/),
    });
  });

  for (const [kind, image, where] of [
    ['the socket', SOCKET_IMAGE, '/run/healthsock/health\\.sock'],
    ['http://', HTTP_IMAGE, 'http://127\\.0\\.0\\.1:\\d+/readyz'],
  ] as const) {
    it(`is healthy while the worker is ready, unhealthy with healthsock’s line while not, and healthy again, over ${kind}`, async () => {
      const name = `${run}-${image === SOCKET_IMAGE ? 'socket' : 'http'}`;
      await database('pass');
      // The host's network, for http://127.0.0.1 to reach the worker; the socket needs none.
      await runDetached(podman, name, image, { network: image === SOCKET_IMAGE ? 'none' : 'host', socketDir });

      const up = await runHealthCheckUntilPassing(podman, name);
      expect(up.code, up.output).toBe(0);
      expect(up.health.Status).toBe('healthy');
      expect(up.health.Log?.at(-1)?.Output).toMatch(new RegExp(`^healthy: readiness passed at ${where}`));

      await database('fail');
      const down = await runHealthCheck(podman, name);
      expect(down.code).toBe(1);
      expect(down.health.Status).toBe('unhealthy');
      expect(down.health.Log?.at(-1)?.ExitCode).toBe(1);
      expect(down.health.Log?.at(-1)?.Output).toMatch(
        image === SOCKET_IMAGE
          ? new RegExp(`^unhealthy: readiness failed at ${where}: database: database is down`)
          : new RegExp(`^unhealthy: readiness failed at ${where}.*HTTP 503`),
      );

      await database('pass');
      const again = await runHealthCheckUntilPassing(podman, name);
      expect(again.code, again.output).toBe(0);
      expect(again.health).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    });
  }
});
