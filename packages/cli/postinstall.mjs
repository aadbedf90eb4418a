// Runs after `npm install` (the package's postinstall script). Where npm installed the native
// command for this platform, @healthsock/cli-linux-<arch> (an optional dependency, so only on
// Linux x64 or arm64), it links that executable over bin/healthsock, the JavaScript launcher that
// node_modules/.bin/healthsock points at. A probe then starts the native binary directly: one
// execve, no Node. In every other case it leaves the launcher, and the probe runs on Node as
// before, with the same output. It never fails the install: the launcher always works.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PLATFORM_PACKAGES = { x64: '@healthsock/cli-linux-x64', arm64: '@healthsock/cli-linux-arm64' };

/**
 * Why the launcher stays, or undefined when the native binary may replace it.
 * @param {string} packageDir this package's folder
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
function reasonToKeepLauncher(packageDir, env) {
  if (process.platform !== 'linux') return `there is no native build for ${process.platform}`;
  if (!Object.hasOwn(PLATFORM_PACKAGES, process.arch)) return `there is no native build for linux-${process.arch}`;
  // In the healthsock repository itself bin/healthsock is a committed file, not an installed copy.
  if (!packageDir.split(path.sep).includes('node_modules')) return 'this is not an installed copy';
  // Yarn 2 and later run a package's commands through node, which cannot run an executable.
  if (/\byarn\/(?!1\.)/.test(env.npm_config_user_agent ?? '')) return 'yarn 2 and later run commands through node';
  return undefined;
}

/**
 * The package.json of `name` where Node would find it from `packageDir` through node_modules
 * folders alone (npm hoists it beside this package; pnpm links it into the same node_modules).
 * Not require.resolve: NODE_PATH must not lead to some other tree's copy.
 * @param {string} packageDir
 * @param {string} name
 * @returns {string | undefined}
 */
function findPackage(packageDir, name) {
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') {
      const manifest = path.join(dir, 'node_modules', name, 'package.json');
      if (fs.existsSync(manifest)) return manifest;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The native executable, when its package is installed and it runs here and says it is this
 * version; otherwise the reason it is not used.
 * @param {string} packageDir
 * @returns {{ binary: string } | { reason: string }}
 */
function findNative(packageDir) {
  const name = PLATFORM_PACKAGES[/** @type {'x64' | 'arm64'} */ (process.arch)];
  const manifest = findPackage(packageDir, name);
  if (!manifest) return { reason: `${name} is not installed (optional dependencies omitted?)` };
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const found = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (found.version !== version) return { reason: `${manifest} is version ${found.version}, not ${version}` };
  const binary = path.join(path.dirname(manifest), 'bin', 'healthsock');
  try {
    // npm keeps the executable bit that `npm pack` recorded; a tarball packed by pnpm has none.
    fs.chmodSync(binary, 0o755);
  } catch {
    // Not ours to change (a read-only store): the --version below says whether it runs.
  }
  let printed;
  try {
    printed = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: 'pipe', timeout: 10_000 });
  } catch (error) {
    return { reason: `${binary} does not run here: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!printed.startsWith(`${version} `)) {
    return { reason: `${binary} is version ${JSON.stringify(printed.trim())}, this package is ${version}` };
  }
  return { binary };
}

/**
 * Puts `binary` at `target` in one rename, so that no probe ever sees a half-written command: a
 * hard link where the file system allows one (no second copy), a copy otherwise.
 * @param {string} binary
 * @param {string} target
 */
function replaceAtomically(binary, target) {
  const temporary = `${target}.native-${process.pid}`;
  try {
    fs.linkSync(binary, temporary);
  } catch {
    fs.copyFileSync(binary, temporary);
  }
  try {
    fs.chmodSync(temporary, 0o755);
    fs.renameSync(temporary, target);
  } finally {
    // rename() does nothing when both names are one file already (an install run twice).
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * @param {string} packageDir
 * @param {NodeJS.ProcessEnv} env
 * @returns {string} what it did, for npm's log
 */
export function linkNative(packageDir, env) {
  const keep = reasonToKeepLauncher(packageDir, env);
  if (keep) return `healthsock runs on Node: ${keep}`;
  const found = findNative(packageDir);
  if ('reason' in found) return `healthsock runs on Node: ${found.reason}`;
  const launcher = path.join(packageDir, 'bin', 'healthsock');
  try {
    replaceAtomically(found.binary, launcher);
  } catch (error) {
    return `healthsock runs on Node: cannot replace ${launcher}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return `healthsock is the native binary of ${path.dirname(path.dirname(found.binary))}`;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  // npm shows a script's output only with --foreground-scripts or on failure; this never fails.
  console.log(linkNative(path.dirname(self), process.env));
}
