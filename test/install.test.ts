// The packages as a user gets them: packed, installed with npm into a project outside the
// workspace, and used from there. The project is the example worker copied out of the repository.
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependency, type Dependency } from './helpers/dependency.js';
import { compileExample, copyExample } from './helpers/example.js';
import { PACKAGES, pnpmPack, toolEnv } from './helpers/pack.js';
import { childEnv, run, startWorker, tempDir, type Worker } from './helpers/processes.js';

const CLI_VERSION = (JSON.parse(readFileSync(join(PACKAGES.cli, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('the packages installed from their tarballs with npm', () => {
  const dir = tempDir();
  const project = join(dir.path, 'project');
  // The Node running the tests, also for `#!/usr/bin/env node` in node_modules/.bin.
  const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  const npmEnv = toolEnv({ PATH, npm_config_cache: join(dir.path, 'npm-cache'), npm_config_update_notifier: 'false' });
  const npm = (args: readonly string[], extraEnv: Record<string, string> = {}) =>
    run('npm', args, { cwd: project, env: { ...npmEnv, ...extraEnv }, killAfterMs: 30_000 });
  const inProject = (command: string, args: readonly string[], extraEnv: Record<string, string> = {}) =>
    run(command, args, { cwd: project, env: childEnv({ PATH, ...extraEnv }), killAfterMs: 30_000 });

  beforeAll(async () => {
    const tarballs = await Promise.all([pnpmPack(PACKAGES.server, dir.path), pnpmPack(PACKAGES.cli, dir.path)]);
    copyExample(project);
    // --offline: the tarballs have no dependencies of their own, so the registry is never needed.
    const install = await npm(['install', '--offline', '--no-audit', '--no-fund', ...tarballs]);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stdout}${install.stderr}`);
    await compileExample(project);
  }, 90_000);

  afterAll(() => dir.remove());

  it('installs real copies into node_modules, not links into the workspace', () => {
    for (const name of ['server', 'cli']) {
      const installed = join(project, 'node_modules/@healthsock', name);
      expect(lstatSync(installed).isSymbolicLink()).toBe(false);
      expect(lstatSync(join(installed, 'package.json')).isFile()).toBe(true);
    }
  });

  it('puts healthsock into node_modules/.bin, printing the packed version', async () => {
    const result = await inProject(join(project, 'node_modules/.bin/healthsock'), ['--version']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(CLI_VERSION);
  });

  it('lets CommonJS code require() the ES module build', async () => {
    const result = await inProject(process.execPath, [
      '-e',
      'process.stdout.write(typeof require("@healthsock/server").createHealthServer)',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: 'function' });
  });

  describe('probing the example worker, built against the installed @healthsock/server', () => {
    let dependency: Dependency;
    let worker: Worker;
    const socket = join(dir.path, 'health.sock');

    beforeAll(async () => {
      dependency = await createDependency('up');
      const started = await startWorker(socket, [], {
        script: join(project, 'dist/worker.js'),
        env: { DEPENDENCY_HOST: dependency.host, DEPENDENCY_PORT: String(dependency.port) },
      });
      worker = started;
      expect(started.status).toMatch(/^listening on /);
    });

    afterAll(async () => {
      await worker?.kill();
      await dependency?.down();
    });

    const healthsock = (...args: string[]) =>
      inProject(join(project, 'node_modules/.bin/healthsock'), args, { HEALTHSOCK_SOCKET: socket });

    it('passes startup, readiness and liveness while the dependency is up', async () => {
      for (const probe of ['startup', 'readiness', 'liveness']) {
        const result = await healthsock(probe);
        expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain(probe);
      }
    });

    it('fails readiness once the dependency is down', async () => {
      await dependency.down();
      const result = await healthsock('readiness');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^unhealthy: /);
      expect(result.stderr).toContain('dependency');
      await dependency.up();
    });

    it('runs through the npm script "hc"', async () => {
      const result = await npm(['run', '--silent', 'hc', '--', 'readiness'], { HEALTHSOCK_SOCKET: socket });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('readiness');
      expect(result.stdout).toContain('dependency');
    });
  });
});
