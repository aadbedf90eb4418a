// The release folder that `pnpm release` writes (build/release/), and the README's Install section
// run command for command by a user who has nothing but that folder, Node and npm. Building the
// release takes a while (the native executables for two architectures), so this runs when the
// folder exists; CI builds it first and sets HEALTHSOCK_REQUIRE_RELEASE_TEST, which turns a missing
// folder into a failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES, ROOT, toolEnv } from './helpers/pack.js';
import { run, tempDir } from './helpers/processes.js';

const RELEASE = join(ROOT, 'build/release');
const { version: SERVER_VERSION } = JSON.parse(readFileSync(join(PACKAGES.server, 'package.json'), 'utf8')) as {
  version: string;
};
const { version: CLI_VERSION } = JSON.parse(readFileSync(join(PACKAGES.cli, 'package.json'), 'utf8')) as {
  version: string;
};
const FILES = [
  'SHA256SUMS',
  `healthsock-cli-${CLI_VERSION}.tgz`,
  `healthsock-cli-linux-arm64-${CLI_VERSION}.tgz`,
  `healthsock-cli-linux-x64-${CLI_VERSION}.tgz`,
  'healthsock-linux-arm64',
  'healthsock-linux-x64',
  `healthsock-server-${SERVER_VERSION}.tgz`,
];
const NATIVE_VERSION = (arch: string) => `${CLI_VERSION} (native, linux-${arch})`;

const required = process.env.HEALTHSOCK_REQUIRE_RELEASE_TEST === '1';
const missing = existsSync(RELEASE) ? undefined : `${RELEASE} does not exist; write it with pnpm release`;
if (missing && required) throw new Error(`the release test must run here, but ${missing}`);

/** The ```sh blocks of the README's Install section, in order. */
function installBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe.skipIf(missing !== undefined)('the release folder', () => {
  const sandbox = tempDir();
  const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  const bash = (script: string) =>
    run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: sandbox.path,
      env: toolEnv({ PATH, npm_config_update_notifier: 'false', npm_config_fund: 'false' }),
      killAfterMs: 120_000,
    });

  beforeAll(() => {
    // A user's copy: the folder, and nothing of the repository.
    mkdirSync(join(sandbox.path, 'healthsock-release'));
    for (const file of readdirSync(RELEASE)) {
      cpSync(join(RELEASE, file), join(sandbox.path, 'healthsock-release', file), { preserveTimestamps: true });
    }
  });

  afterAll(() => sandbox.remove());

  it('holds the four tarballs, both native executables and SHA256SUMS, and nothing else', () => {
    expect(readdirSync(RELEASE).sort()).toEqual(FILES);
  });

  it('packs in each platform tarball the very executable it ships beside them, static and for its architecture', async () => {
    for (const [arch, machine] of [
      ['x64', 'X86-64'],
      ['arm64', 'AArch64'],
    ] as const) {
      const tarball = join(RELEASE, `healthsock-cli-linux-${arch}-${CLI_VERSION}.tgz`);
      const listed = await run('tar', ['-tvzf', tarball], { killAfterMs: 30_000 });
      // Executable in the tarball, so that npm installs it executable.
      expect(listed.stdout).toMatch(/^-rwxr-xr-x .* package\/bin\/healthsock$/m);
      const inTarball = spawnSync('sh', ['-c', `tar -xzOf '${tarball}' package/bin/healthsock | sha256sum`], {
        encoding: 'utf8',
      }).stdout.split(' ')[0];
      const shipped = spawnSync('sha256sum', [join(RELEASE, `healthsock-linux-${arch}`)], {
        encoding: 'utf8',
      }).stdout.split(' ')[0];
      expect(inTarball).toMatch(/^[0-9a-f]{64}$/);
      expect(inTarball).toBe(shipped);
      const headers = spawnSync(
        'readelf',
        ['--file-header', '--program-headers', join(RELEASE, `healthsock-linux-${arch}`)],
        {
          encoding: 'utf8',
        },
      ).stdout;
      expect(headers).toContain(machine);
      expect(headers).not.toMatch(/\bINTERP\b/);
    }
  });

  it('lists every other file in SHA256SUMS, and each one matches', async () => {
    const sums = readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8');
    const listed = sums
      .trim()
      .split('\n')
      .map((line) => line.replace(/^[0-9a-f]{64} [ *]/, ''));
    expect(listed.sort()).toEqual(FILES.filter((file) => file !== 'SHA256SUMS'));
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: RELEASE, killAfterMs: 60_000 });
    expect(check, check.stderr).toMatchObject({ code: 0 });
  });

  it('is what the README’s Install section names', () => {
    const blocks = installBlocks().join('\n');
    for (const file of FILES.filter((name) => name.endsWith('.tgz') || name === 'SHA256SUMS')) {
      expect(blocks).toContain(file);
    }
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'installs from its tarballs as the README says: checksums, npm i, npx healthsock --version, the native command',
    async () => {
      const [tarballs] = installBlocks().filter((block) => block.includes('.tgz'));
      expect(tarballs).toBeDefined();
      const result = await bash(tarballs as string);
      expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
      expect(result.stdout.match(/: OK$/gm)).toHaveLength(FILES.length - 1);
      expect(result.stdout).toContain(`${NATIVE_VERSION('x64')}\n`);
      const project = join(sandbox.path, 'my-worker');
      const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        optionalDependencies: Record<string, string>;
      };
      expect(manifest.dependencies).toEqual({
        '@healthsock/server': `file:../healthsock-release/healthsock-server-${SERVER_VERSION}.tgz`,
        '@healthsock/cli': `file:../healthsock-release/healthsock-cli-${CLI_VERSION}.tgz`,
      });
      // Both platforms in package.json and the lock file, so that the project installs on either.
      expect(manifest.optionalDependencies).toEqual({
        '@healthsock/cli-linux-arm64': `file:../healthsock-release/healthsock-cli-linux-arm64-${CLI_VERSION}.tgz`,
        '@healthsock/cli-linux-x64': `file:../healthsock-release/healthsock-cli-linux-x64-${CLI_VERSION}.tgz`,
      });
      // The command is the released executable itself, linked over the JavaScript launcher.
      const command = realpathSync(join(project, 'node_modules/.bin/healthsock'));
      expect(readFileSync(command).equals(readFileSync(join(RELEASE, 'healthsock-linux-x64')))).toBe(true);
    },
    120_000,
  );

  it.runIf(process.arch === 'x64')(
    'runs the native executable as the README says, after its checksum',
    async () => {
      const [binary] = installBlocks().filter((block) => block.includes('healthsock-linux-x64 --version'));
      expect(binary).toBeDefined();
      const result = await bash(binary as string);
      expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('healthsock-linux-x64: OK');
      expect(result.stdout).toContain(`${NATIVE_VERSION('x64')}\n`);
    },
    60_000,
  );
});
