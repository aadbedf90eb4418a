// What `pnpm publish` would upload: the tarball of each package, read back file by file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES, pnpmPack, readTarball } from './helpers/pack.js';
import { tempDir } from './helpers/processes.js';

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  type?: string;
  engines?: { node?: string };
  repository?: { type?: string; url?: string; directory?: string };
  bin?: Record<string, string>;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  peerDependencies?: Record<string, string>;
}

const destination = tempDir();
afterAll(() => destination.remove());

/** Only these may ship: the build output (code and declarations) and the three standard files. */
const ALLOWED = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|cjs|d\.ts))$/;

describe.each([
  { name: 'server', dir: PACKAGES.server },
  { name: 'cli', dir: PACKAGES.cli },
])('the @healthsock/$name tarball', ({ name, dir }) => {
  let files: Map<string, Buffer>;
  let paths: string[];
  let manifest: PackageJson;

  beforeAll(async () => {
    const tarball = await pnpmPack(dir, destination.path);
    files = new Map([...readTarball(tarball)].map(([path, body]) => [path.replace(/^package\//, ''), body]));
    paths = [...files.keys()].sort();
    manifest = JSON.parse(String(files.get('package.json'))) as PackageJson;
  }, 60_000);

  it('holds everything under package/', async () => {
    const tarball = readdirSync(destination.path).find((file) => file.startsWith(`healthsock-${name}-`));
    expect(tarball).toBeDefined();
    for (const path of readTarball(join(destination.path, tarball as string)).keys()) {
      expect(path).toMatch(/^package\//);
    }
  });

  it('ships package.json, README.md, an MIT LICENSE, and the built code with its declarations', () => {
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js']));
    expect(paths).toContain('dist/index.d.ts');
    expect(String(files.get('LICENSE'))).toMatch(/^MIT License/);
    expect(String(files.get('README.md'))).toContain(`# @healthsock/${name}`);
    // Every module a user can import has declarations; shared chunks are the bundler's internals.
    for (const path of paths.filter((file) => file.endsWith('.js') && !file.startsWith('dist/chunks/'))) {
      expect(paths, `${path} has no declarations`).toContain(path.replace(/\.js$/, '.d.ts'));
    }
  });

  it('ships nothing else: no sources, tests, configs, build scripts, source maps or stray files', () => {
    expect(paths.filter((path) => !ALLOWED.test(path))).toEqual([]);
    expect(paths.filter((path) => /(^|\/)(src|test|tests|__tests__|node_modules)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => /\.(map|ts\.map|tsbuildinfo|tgz|log|tmp)$|(^|\/)\.|~$/.test(path))).toEqual([]);
    expect(paths.filter((path) => /(^|\/)(tsconfig[^/]*\.json|build\.js|vitest\.config\.\w+)$/.test(path))).toEqual([]);
    // The sources and tests are there to be left out.
    expect(existsSync(join(dir, 'src'))).toBe(true);
  });

  it('leaves out the source maps that the build writes', () => {
    const maps = readdirSync(join(dir, 'dist'), { recursive: true }).filter((file) => String(file).endsWith('.map'));
    if (name === 'server') expect(maps.length).toBeGreaterThan(0);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('points every entry of package.json at a file in the tarball, declarations first', () => {
    const targets: string[] = [];
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target === 'string') {
        targets.push(target);
        continue;
      }
      expect(Object.keys(target)[0], `exports["${subpath}"] must list types first`).toBe('types');
      targets.push(...Object.values(target));
    }
    targets.push(...Object.values(manifest.bin ?? {}));
    if (manifest.main) targets.push(manifest.main);
    if (manifest.types) targets.push(manifest.types);
    expect(targets.length).toBeGreaterThan(2);
    for (const target of targets) expect(paths).toContain(target.replace(/^\.\//, ''));
  });

  it('has publishable metadata, with no workspace: specifiers left', () => {
    const text = String(files.get('package.json'));
    expect(text).not.toContain('workspace:');
    expect(manifest).toMatchObject({
      name: `@healthsock/${name}`,
      license: 'MIT',
      type: 'module',
      engines: { node: '>=20' },
      repository: { type: 'git', directory: `packages/${name}` },
    });
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    // The packed version is the one in the workspace.
    const source = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    expect(manifest.version).toBe(source.version);
  });

  it.runIf(name === 'cli')(
    'installs the healthsock command, and asks for a matching server only as an optional peer',
    () => {
      const server = JSON.parse(readFileSync(join(PACKAGES.server, 'package.json'), 'utf8')) as PackageJson;
      expect(manifest.bin).toEqual({ healthsock: './dist/bin.cjs' });
      expect(String(files.get('dist/bin.cjs'))).toMatch(/^#!\/usr\/bin\/env node\n/);
      expect(manifest.peerDependencies).toEqual({ '@healthsock/server': `^${server.version}` });
      expect(manifest).not.toHaveProperty('dependencies');
    },
  );
});
