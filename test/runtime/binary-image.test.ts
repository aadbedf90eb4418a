// An image with no Node: the native binary (put there by the example Dockerfile's own COPY line
// for it; it is static, so no library comes with it), and busybox, whose httpd is the image's main
// process. Its
// HEALTHCHECK runs the binary against the example worker in another container, through the
// socket in a directory both mount, as a sidecar would reach the worker through an emptyDir.
// A second image differs only in its HEALTHCHECK, which asks the image's own httpd over http://.
import { chownSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDependency, type Dependency } from '../helpers/dependency.js';
import { runDetached, runHealthCheck, runHealthCheckUntilPassing, waitForLog } from '../helpers/podman.js';
import { podmanForFile } from '../helpers/podmanForFile.js';
import { binaryCopyLine, ensureBinary, importNodelessBase } from '../helpers/runtimeImages.js';

const { problem, dir, podman, run } = podmanForFile('bin');
const IMAGE = 'localhost/healthsock-test/binary-only:latest';
const HTTP_IMAGE = 'localhost/healthsock-test/binary-only-http:latest';

describe.skipIf(problem)('an image with the native binary and no Node', () => {
  const socketDir = join(dir, `${run}-socket`);
  let dependency: Dependency;

  beforeAll(async () => {
    const binary = await ensureBinary();
    await importNodelessBase(podman, join(dir, `${run}-base`), binary, 'localhost/healthsock-test/nodeless:latest');
    const context = join(dir, `${run}-context`);
    mkdirSync(context);
    // The context holds only the binary; the Dockerfile is the example's COPY line around it.
    copyFileSync(binary, join(context, 'healthsock-linux-x64'));
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        'FROM localhost/healthsock-test/nodeless:latest',
        binaryCopyLine(),
        'ENV HEALTHSOCK_SOCKET=/run/healthsock/health.sock',
        'USER 1000:1000',
        'HEALTHCHECK --interval=2s --timeout=2s --retries=1 CMD ["healthsock", "readiness"]',
        'CMD ["httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/tmp"]',
        '',
      ].join('\n'),
    );
    await podman.ok(['build', '--format', 'docker', '--tag', IMAGE, context], { killAfterMs: 120_000 });
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${IMAGE}\nHEALTHCHECK --interval=2s --timeout=2s --retries=1 CMD ["healthsock", "readiness", "http://127.0.0.1:8080"]\n`,
    );
    await podman.ok(['build', '--format', 'docker', '--tag', HTTP_IMAGE, context], { killAfterMs: 120_000 });

    // The directory both containers mount at /run/healthsock, owned by the user both run as.
    mkdirSync(socketDir);
    chownSync(socketDir, 1000, 1000);
    dependency = await createDependency('up');
    await runDetached(podman, `${run}-worker`, inject('workerImage'), {
      network: 'host',
      socketDir,
      env: { DEPENDENCY_HOST: dependency.host, DEPENDENCY_PORT: String(dependency.port) },
    });
    await waitForLog(podman, `${run}-worker`, 'listening on /run/healthsock/health.sock');
    await runDetached(podman, `${run}-probe`, IMAGE, { network: 'none', socketDir });
  });

  afterAll(async () => {
    await podman.exec(['rm', '--force', '--time', '0', `${run}-worker`, `${run}-probe`, `${run}-http`]);
    await dependency?.down();
  });

  it('holds no Node', async () => {
    const found = await podman.ok(['exec', `${run}-probe`, 'find', '/', '-xdev', '-name', 'node*']);
    expect(found.trim()).toBe('');
    const version = await podman.exec(['exec', `${run}-probe`, 'healthsock', '--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is healthy while the worker is ready, unhealthy with healthsock’s line while not, and healthy again', async () => {
    const name = `${run}-probe`;
    const up = await runHealthCheckUntilPassing(podman, name);
    expect(up.code, up.output).toBe(0);
    expect(up.health.Status).toBe('healthy');
    expect(up.health.Log?.at(-1)?.Output).toMatch(/^healthy: readiness passed at \/run\/healthsock\/health\.sock/);

    await dependency.down();
    const down = await runHealthCheck(podman, name);
    expect(down.code).toBe(1);
    expect(down.health.Status).toBe('unhealthy');
    expect(down.health.Log?.at(-1)?.Output).toMatch(
      /^unhealthy: readiness failed at \/run\/healthsock\/health\.sock: dependency: .*ECONNREFUSED/,
    );

    await dependency.up();
    const again = await runHealthCheckUntilPassing(podman, name);
    expect(again.code, again.output).toBe(0);
    expect(again.health.Status).toBe('healthy');
  });

  it('probes its own httpd over http:// with the binary: /readyz there is healthy, gone is unhealthy', async () => {
    const name = `${run}-http`;
    await podman.ok(['run', '--detach', '--name', name, '--network', 'none', HTTP_IMAGE]);
    // httpd serves /tmp, so the file /tmp/readyz is the endpoint that GET /readyz finds.
    await podman.ok(['exec', name, 'touch', '/tmp/readyz']);
    const up = await runHealthCheckUntilPassing(podman, name);
    expect(up.code, up.output).toBe(0);
    expect(up.health.Status).toBe('healthy');
    expect(up.health.Log?.at(-1)?.Output).toMatch(/^healthy: readiness passed at http:\/\/127\.0\.0\.1:8080\/readyz/);

    await podman.ok(['exec', name, 'rm', '/tmp/readyz']);
    const down = await runHealthCheck(podman, name);
    expect(down.code).toBe(1);
    expect(down.health.Status).toBe('unhealthy');
    expect(down.health.Log?.at(-1)?.Output).toMatch(/^unhealthy: .*http:\/\/127\.0\.0\.1:8080\/readyz.*404/);
  });
});
