// The release folder that `pnpm release` writes (build/release/), and the README's Install section
// run command for command by a user who has nothing but that folder, Node and npm. Building the
// release takes a minute (the single executables), so this runs when the folder exists; CI builds
// it first and sets HEALTHSOCK_REQUIRE_RELEASE_TEST, which turns a missing folder into a failure.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
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
  'healthsock-linux-arm64',
  'healthsock-linux-x64',
  `healthsock-server-${SERVER_VERSION}.tgz`,
];

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

  it('holds both tarballs, both single executables and SHA256SUMS, and nothing else', () => {
    expect(readdirSync(RELEASE).sort()).toEqual(FILES);
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

  it('installs from its tarballs as the README says: checksums, npm i, npx healthsock --version', async () => {
    const [tarballs] = installBlocks().filter((block) => block.includes('.tgz'));
    expect(tarballs).toBeDefined();
    const result = await bash(tarballs as string);
    expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
    expect(result.stdout.match(/: OK$/gm)).toHaveLength(4);
    expect(result.stdout).toContain(`${CLI_VERSION} (Node.js ${process.version})\n`);
    const manifest = JSON.parse(readFileSync(join(sandbox.path, 'my-worker/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({
      '@healthsock/server': `file:../healthsock-release/healthsock-server-${SERVER_VERSION}.tgz`,
      '@healthsock/cli': `file:../healthsock-release/healthsock-cli-${CLI_VERSION}.tgz`,
    });
  }, 120_000);

  it.runIf(process.arch === 'x64')(
    'runs the single executable as the README says, after its checksum, naming the Node it embeds',
    async () => {
      const [binary] = installBlocks().filter((block) => block.includes('healthsock-linux-x64 --version'));
      expect(binary).toBeDefined();
      const result = await bash(binary as string);
      expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('healthsock-linux-x64: OK');
      expect(result.stdout).toMatch(
        new RegExp(`^${CLI_VERSION.replaceAll('.', '\\.')} \\(embedded Node\\.js v24\\.`, 'm'),
      );
    },
    60_000,
  );
});
