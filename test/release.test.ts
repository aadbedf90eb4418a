// The release folder that `pnpm release` writes (build/release/), and the README's Install section
// run word for word by a user who has a fresh clone, Node and npm. Building the
// release takes a while (the native executables for two architectures), so this runs when the
// folder exists; CI builds it first and sets HEALTHSOCK_REQUIRE_RELEASE_TEST, which turns a missing
// folder into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  const bash = (script: string, killAfterMs: number) =>
    run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: sandbox.path,
      env: toolEnv({ PATH, npm_config_update_notifier: 'false', npm_config_fund: 'false' }),
      killAfterMs,
    });

  // The fresh clone holds a whole node_modules: removing it takes a while on a busy machine.
  afterAll(() => sandbox.remove(), 120_000);

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

  // Word for word, from a fresh clone of the repository (its last commit): the release built with
  // pnpm as the README sets it up, copied beside the clone, installed into a new project whose own
  // worker then passes a probe, and the bare executable checked and run. Only the registry's
  // `npm i` is left out: test/install.test.ts runs that line against a real registry.
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'runs the README’s Install section word for word on a fresh clone: pnpm release, npm i from the folder, the native command',
    async () => {
      const blocks = installBlocks().filter((block) => block.trim() !== 'npm i @healthsock/server @healthsock/cli');
      expect(blocks.map((block) => block.includes('npx -y pnpm@') && block.includes(' release'))).toEqual([
        true,
        false,
        false,
        false,
      ]);
      const clone = await run('git', ['clone', '--quiet', ROOT, join(sandbox.path, 'healthsock')], {
        killAfterMs: 60_000,
      });
      expect(clone, clone.stderr).toMatchObject({ code: 0 });
      const result = await bash(['cd healthsock', ...blocks].join('\n'), 540_000);
      expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
      // Every file checked twice: once before npm i, once before the bare executable runs.
      expect(result.stdout.match(/: OK$/gm)).toHaveLength(2 * (FILES.length - 1));
      expect(result.stdout.split(`${NATIVE_VERSION('x64')}\n`)).toHaveLength(3);
      // The user's own worker, probed by the native command.
      expect(result.stdout).toMatch(/^healthy: readiness passed at \.\/health\.sock \(1 check, /m);
      const released = join(sandbox.path, 'healthsock-release');
      expect(readdirSync(released).sort()).toEqual(FILES);
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
      expect(readFileSync(command).equals(readFileSync(join(released, 'healthsock-linux-x64')))).toBe(true);
    },
    600_000,
  );
});
