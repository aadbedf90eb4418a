// What a publish would upload: the tarball of each package, as npm, pnpm and yarn each pack it,
// read back file by file. Users publish with whichever tool they have, and all three must agree.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACK_TOOLS, PACKAGES, pack, readTarball, ROOT } from './helpers/pack.js';
import { tempDir } from './helpers/processes.js';

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  type?: string;
  engines?: { node?: string };
  repository?: { type?: string; url?: string; directory?: string };
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  main?: string;
  types?: string;
  exports?: Record<string, string | Conditions>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** An exports entry: conditions, each a path or nested conditions. */
interface Conditions {
  [condition: string]: string | Conditions;
}

const destination = tempDir();
afterAll(() => destination.remove());

/**
 * Only these may ship: the build output (code and declarations), the three standard files, the
 * release notes, which yarn 1 packs whatever `files` says, so every tool packs them, and the CLI's
 * command: its launcher and the install script that links the native binary over it.
 */
const ALLOWED =
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+\.(js|cjs|d\.ts|d\.cts)|bin\/healthsock|bin\/package\.json|postinstall\.mjs)$/;

const fileLists = new Map<string, string[]>();

describe.each(
  PACK_TOOLS.flatMap((tool) => [
    { name: 'server', dir: PACKAGES.server, tool },
    { name: 'cli', dir: PACKAGES.cli, tool },
  ]),
)('the @healthsock/$name tarball packed by $tool', ({ name, dir, tool }) => {
  let files: Map<string, Buffer>;
  let paths: string[];
  let manifest: PackageJson;

  beforeAll(async () => {
    const tarball = await pack(tool, dir, destination.path);
    files = new Map([...readTarball(tarball)].map(([path, body]) => [path.replace(/^package\//, ''), body]));
    paths = [...files.keys()].sort();
    fileLists.set(`${name} ${tool}`, paths);
    manifest = JSON.parse(String(files.get('package.json'))) as PackageJson;
  }, 60_000);

  it('holds everything under package/', async () => {
    const tarball = readdirSync(destination.path).find(
      (file) => file.startsWith(`healthsock-${name}-`) && file.endsWith(`.${tool}.tgz`),
    );
    expect(tarball).toBeDefined();
    for (const path of readTarball(join(destination.path, tarball as string)).keys()) {
      expect(path).toMatch(/^package\//);
    }
  });

  it('ships package.json, README.md, CHANGELOG.md, an MIT LICENSE, and the built code with its declarations', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/index.js']),
    );
    expect(paths).toContain('dist/index.d.ts');
    expect(String(files.get('LICENSE'))).toMatch(/^MIT License/);
    expect(String(files.get('LICENSE'))).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(String(files.get('README.md'))).toContain(`# @healthsock/${name}`);
    // Every module a user can import or require has declarations of its own kind; shared chunks
    // and the CLI's executable files are nobody's to import.
    const importable = paths.filter(
      (file) => /\.c?js$/.test(file) && !/^dist\/(chunks\/|bin\.cjs$|yargs\.cjs$)/.test(file),
    );
    expect(importable).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.cjs']));
    for (const path of importable) {
      expect(paths, `${path} has no declarations`).toContain(path.replace(/\.(c?)js$/, '.d.$1ts'));
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
    const collect = (where: string, target: string | Conditions) => {
      if (typeof target === 'string') return targets.push(target);
      expect(Object.keys(target)[0], `${where} must list types first`).toBe('types');
      for (const [condition, inner] of Object.entries(target)) collect(`${where}.${condition}`, inner);
    };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target !== 'string' && !('types' in target)) {
        // import and require each get their own files: ESM for import, CommonJS for require.
        expect(Object.keys(target), `exports["${subpath}"]`).toEqual(['import', 'require']);
        for (const [condition, inner] of Object.entries(target)) collect(`exports["${subpath}"].${condition}`, inner);
      } else collect(`exports["${subpath}"]`, target);
    }
    targets.push(...Object.values(manifest.bin ?? {}));
    if (manifest.main) targets.push(manifest.main);
    if (manifest.types) targets.push(manifest.types);
    expect(targets.length).toBeGreaterThan(2);
    for (const target of targets) expect(paths).toContain(target.replace(/^\.\//, ''));
    // Tools that know no exports (TypeScript's node10 resolution, old bundlers) get CommonJS.
    expect(manifest).toMatchObject({ main: './dist/index.cjs', types: './dist/index.d.cts' });
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

  it('carries release notes for the packed version in CHANGELOG.md', () => {
    const changelog = String(files.get('CHANGELOG.md'));
    expect(changelog).toBe(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'));
    expect(changelog).toMatch(new RegExp(`^## ${manifest.version.replaceAll('.', '\\.')}$`, 'm'));
  });

  it.runIf(name === 'cli')(
    'installs the healthsock command, the native one where it can, and asks for a matching server only as an optional peer',
    () => {
      const server = JSON.parse(readFileSync(join(PACKAGES.server, 'package.json'), 'utf8')) as PackageJson;
      expect(manifest.bin).toEqual({ healthsock: './bin/healthsock' });
      // The launcher runs the bundled CLI as CommonJS (bin/package.json), and postinstall.mjs
      // replaces it with the platform package's binary, which must be exactly this version.
      expect(String(files.get('bin/healthsock'))).toMatch(
        /^#!\/usr\/bin\/env node\n[^]*require\('\.\.\/dist\/bin\.cjs'\)/,
      );
      expect(JSON.parse(String(files.get('bin/package.json')))).toEqual({ type: 'commonjs' });
      expect(String(files.get('dist/bin.cjs'))).toMatch(/^#!\/usr\/bin\/env node\n/);
      expect(manifest.scripts?.postinstall).toBe('node postinstall.mjs');
      expect(paths).toContain('postinstall.mjs');
      expect(manifest.optionalDependencies).toEqual({
        '@healthsock/cli-linux-arm64': manifest.version,
        '@healthsock/cli-linux-x64': manifest.version,
      });
      expect(manifest.peerDependencies).toEqual({ '@healthsock/server': `^${server.version}` });
      expect(manifest.devDependencies?.['@healthsock/server']).toBe(`^${server.version}`);
      expect(manifest).not.toHaveProperty('dependencies');
    },
  );
});

describe('the three tools', () => {
  it('pack the same files', () => {
    for (const name of ['server', 'cli']) {
      const lists = PACK_TOOLS.map((tool) => fileLists.get(`${name} ${tool}`));
      expect(lists[0]?.length).toBeGreaterThan(4);
      for (const list of lists.slice(1)) expect(list).toEqual(lists[0]);
    }
  });
});
