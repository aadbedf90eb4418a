// Packs workspace packages as npm, pnpm and yarn would publish them, and reads the tarballs.
import { readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { run } from './processes.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PACKAGES = {
  server: fileURLToPath(new URL('../../packages/server/', import.meta.url)),
  cli: fileURLToPath(new URL('../../packages/cli/', import.meta.url)),
};

/**
 * How to run pnpm: the pnpm that runs this test run if there is one (`pnpm test` sets
 * npm_execpath), else the version the workspace pins, through npx.
 */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(basename(execPath))) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
  }
  const { packageManager } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { packageManager: string };
  return ['npx', ['--prefer-offline', '-y', packageManager.replace(/\+.*/, '')]];
}

/** The environment for package-manager commands: the runner's, without a socket setting. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.HEALTHSOCK_SOCKET;
  return env;
}

/** The tools a user may pack or publish with. yarn is yarn 1, the `yarn` package on the npm registry. */
export const PACK_TOOLS = ['npm', 'pnpm', 'yarn'] as const;
export type PackTool = (typeof PACK_TOOLS)[number];

/** How to run each tool: npm as installed, pnpm as above, yarn 1 through npx. */
export function toolCommand(tool: PackTool): [string, string[]] {
  if (tool === 'npm') return ['npm', []];
  if (tool === 'pnpm') return pnpmCommand();
  return ['npx', ['--prefer-offline', '-y', 'yarn@1.22.22']];
}

/** Runs `<tool> pack` in `packageDir` and returns the tarball's path, inside `destination`. */
export async function pack(tool: PackTool, packageDir: string, destination: string): Promise<string> {
  const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const filename = join(destination, `${name.replace(/^@/, '').replace('/', '-')}-${version}.${tool}.tgz`);
  const packArgs: Record<PackTool, string[]> = {
    npm: ['pack', '--json', '--pack-destination', destination],
    pnpm: ['pack', '--json', '--pack-destination', destination],
    yarn: ['pack', '--filename', filename],
  };
  const [program, prefix] = toolCommand(tool);
  const result = await run(program, [...prefix, ...packArgs[tool]], {
    cwd: packageDir,
    // The runner's own environment, CA bundle included: npx may have to reach the registry. yarn 1
    // would otherwise refuse to run under the workspace's "packageManager": "pnpm@…".
    env: toolEnv({ SKIP_YARN_COREPACK_CHECK: '1' }),
    killAfterMs: 60_000,
  });
  if (result.code !== 0) throw new Error(`${tool} pack failed in ${packageDir}: ${result.stderr}${result.stdout}`);
  if (tool === 'yarn') return filename;
  // npm prints a list of packages, pnpm one object; npm's filename is relative to the destination.
  const parsed = JSON.parse(result.stdout) as { filename: string } | { filename: string }[];
  const packed = (Array.isArray(parsed) ? parsed[0] : parsed)?.filename;
  if (!packed) throw new Error(`${tool} pack printed no filename: ${result.stdout}`);
  const path = packed.startsWith('/') ? packed : join(destination, packed);
  // Each tool's tarball under its own name, so that the three can sit side by side.
  renameSync(path, filename);
  return filename;
}

/** Runs `pnpm pack` in `packageDir` and returns the tarball's path, inside `destination`. */
export function pnpmPack(packageDir: string, destination: string): Promise<string> {
  return pack('pnpm', packageDir, destination);
}

/** The files in a gzipped tarball, by path. Enough of ustar for npm tarballs: regular files only. */
export function readTarball(path: string): Map<string, Buffer> {
  const archive = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  const text = (start: number, length: number) =>
    archive
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  let offset = 0;
  while (offset + 512 <= archive.length && archive[offset] !== 0) {
    const name = text(offset, 100);
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1);
    const prefix = text(offset + 345, 155);
    const body = offset + 512;
    if (type === '0' || type === '') {
      files.set(prefix ? `${prefix}/${name}` : name, archive.subarray(body, body + size));
    } else if (type !== '5') {
      throw new Error(`${path}: unexpected tar entry type ${JSON.stringify(type)} for ${name}`);
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return files;
}
