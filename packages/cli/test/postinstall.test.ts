// postinstall.mjs as npm runs it: `node postinstall.mjs` inside an installed copy of the package,
// in a node_modules tree built in a temp dir. The "native binary" here is a shell script that
// prints a version, so that every branch can be reached on any Linux machine.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = readFileSync(join(PACKAGE, 'bin/healthsock'), 'utf8');
const NATIVE_NAME = `@healthsock/cli-linux-${process.arch}`;
const supported = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);

let root: string;
let cli: string;

/** Writes `file` (and its folders) with `text`, executable when asked. */
function put(file: string, text: string, executable = false) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (executable) chmodSync(file, 0o755);
}

/** The platform package beside the CLI, as npm hoists it, with a binary that prints `printed`. */
function installNative(printed: string, version = '1.2.3', executable = true) {
  const dir = join(root, 'node_modules', NATIVE_NAME);
  put(join(dir, 'package.json'), JSON.stringify({ name: NATIVE_NAME, version }));
  put(join(dir, 'bin/healthsock'), `#!/bin/sh\necho '${printed}'\n`, executable);
  return join(dir, 'bin/healthsock');
}

function postinstall(env: Record<string, string> = {}) {
  return execFileSync(process.execPath, ['postinstall.mjs'], {
    cwd: cli,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  }).trim();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hs-postinstall-'));
  cli = join(root, 'node_modules/@healthsock/cli');
  put(join(cli, 'package.json'), JSON.stringify({ name: '@healthsock/cli', version: '1.2.3', type: 'module' }));
  copyFileSync(join(PACKAGE, 'postinstall.mjs'), join(cli, 'postinstall.mjs'));
  put(join(cli, 'bin/healthsock'), LAUNCHER, true);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe.runIf(supported)('postinstall.mjs', () => {
  it('links the native binary over the launcher: one file, executable, the launcher gone', () => {
    const native = installNative('1.2.3 (native, linux-x64)');
    expect(postinstall()).toBe(`healthsock is the native binary of ${dirname(dirname(native))}`);
    const command = join(cli, 'bin/healthsock');
    expect(readFileSync(command, 'utf8')).toBe(readFileSync(native, 'utf8'));
    expect(lstatSync(command).ino).toBe(lstatSync(native).ino);
    expect(lstatSync(command).mode & 0o777).toBe(0o755);
    // Run twice (npm rebuild), it leaves the same file and no temporary one behind.
    expect(postinstall()).toMatch(/^healthsock is the native binary/);
    expect(lstatSync(command).ino).toBe(lstatSync(native).ino);
    expect(
      execFileSync('ls', [join(cli, 'bin')], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean),
    ).toEqual(['healthsock']);
  });

  it('makes a binary executable that a pnpm-packed tarball left without the bit', () => {
    installNative('1.2.3 (native, linux-x64)', '1.2.3', false);
    expect(postinstall()).toMatch(/^healthsock is the native binary/);
  });

  it('keeps the launcher when the native package is missing', () => {
    expect(postinstall()).toBe(
      `healthsock runs on Node: ${NATIVE_NAME} is not installed (optional dependencies omitted?)`,
    );
    expect(readFileSync(join(cli, 'bin/healthsock'), 'utf8')).toBe(LAUNCHER);
  });

  it('keeps the launcher when the native package is another version', () => {
    installNative('1.2.4 (native, linux-x64)', '1.2.4');
    expect(postinstall()).toMatch(/^healthsock runs on Node: .* is version 1\.2\.4, not 1\.2\.3$/);
    expect(readFileSync(join(cli, 'bin/healthsock'), 'utf8')).toBe(LAUNCHER);
  });

  it('keeps the launcher when the binary says another version, or does not run', () => {
    installNative('9.9.9 (native, linux-x64)');
    expect(postinstall()).toMatch(/^healthsock runs on Node: .* is version "9\.9\.9 \(native, linux-x64\)"/);
    put(join(root, 'node_modules', NATIVE_NAME, 'bin/healthsock'), '#!/bin/sh\nexit 3\n', true);
    expect(postinstall()).toMatch(/^healthsock runs on Node: .* does not run here/);
    expect(readFileSync(join(cli, 'bin/healthsock'), 'utf8')).toBe(LAUNCHER);
  });

  it('keeps the launcher under yarn 2 and later, which run commands through node', () => {
    installNative('1.2.3 (native, linux-x64)');
    expect(postinstall({ npm_config_user_agent: 'yarn/4.5.0 npm/? node/v22.0.0 linux x64' })).toBe(
      'healthsock runs on Node: yarn 2 and later run commands through node',
    );
    expect(postinstall({ npm_config_user_agent: 'yarn/1.22.22 npm/? node/v22.0.0 linux x64' })).toMatch(
      /^healthsock is the native binary/,
    );
  });

  it('does nothing in a copy that is not installed (the repository itself)', () => {
    const outside = join(root, 'packages/cli');
    put(join(outside, 'package.json'), JSON.stringify({ name: '@healthsock/cli', version: '1.2.3' }));
    copyFileSync(join(PACKAGE, 'postinstall.mjs'), join(outside, 'postinstall.mjs'));
    installNative('1.2.3 (native, linux-x64)');
    const printed = execFileSync(process.execPath, ['postinstall.mjs'], { cwd: outside, encoding: 'utf8' }).trim();
    expect(printed).toBe('healthsock runs on Node: this is not an installed copy');
  });
});
