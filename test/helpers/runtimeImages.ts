// Images for the real-runtime tests, made from local files because nothing can be pulled:
// a base with Node and busybox that stands in for node:24-bookworm-slim, the example worker
// built on it by its own Dockerfile's runtime stage, and a base with no Node at all for the
// native binary.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { EXAMPLE, compileExample, copyExample } from './example.js';
import { PACKAGES, ROOT, pack, pnpmPack } from './pack.js';
import type { Podman } from './podman.js';
import { run } from './processes.js';
import { sharedLibraries } from './nodelessRoot.js';

const BUSYBOX = '/bin/busybox';
/** What node:24-bookworm-slim sets, so that the Dockerfile's `ENV PATH=...:$PATH` extends it. */
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Copies `file` and the shared libraries it links into `root`, at the same paths. */
function copyWithLibraries(root: string, file: string, as: string): void {
  mkdirSync(join(root, dirname(as)), { recursive: true });
  copyFileSync(file, join(root, as));
  chmodSync(join(root, as), 0o755);
  for (const library of sharedLibraries(file)) {
    mkdirSync(join(root, dirname(library)), { recursive: true });
    copyFileSync(library, join(root, library));
  }
}

/**
 * busybox (static) as /bin/busybox with a link for each applet, /usr/bin/env (npm's bin shims
 * start with `#!/usr/bin/env node`), a world-writable /tmp, and the root and node (1000) users
 * that node's official images have.
 */
function addBusybox(root: string, applets: readonly string[]): void {
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
  symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));
  mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
  chmodSync(join(root, 'tmp'), 0o1777);
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
}

/** The applets of the host's static busybox. */
async function busyboxApplets(): Promise<string[]> {
  const result = await run(BUSYBOX, ['--list'], { killAfterMs: 10_000 });
  if (result.code !== 0) throw new Error(`${BUSYBOX} --list failed (is busybox-static installed?): ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

/** `tar -C root -c . | podman import` as `name`, with PATH set as in Node's official images. */
async function importRoot(podman: Podman, root: string, name: string): Promise<void> {
  const archive = `${root}.tar`;
  const tar = await run('tar', ['-C', root, '-cf', archive, '.'], { killAfterMs: 60_000 });
  if (tar.code !== 0) throw new Error(`tar of ${root} failed: ${tar.stderr}`);
  await podman.ok(['import', '--change', `ENV PATH=${BASE_PATH}`, archive, name]);
  unlinkSync(archive);
}

/**
 * Imports a stand-in for node:24-bookworm-slim as `name`: `node` at /usr/local/bin/node with its
 * libraries, busybox for the Dockerfile's RUN lines and the health check's shell, and the node user.
 */
export async function importNodeBase(podman: Podman, root: string, node: string, name: string): Promise<void> {
  mkdirSync(root);
  copyWithLibraries(root, node, '/usr/local/bin/node');
  addBusybox(root, await busyboxApplets());
  await importRoot(podman, root, name);
}

/**
 * Imports a base with no Node as `name`: only the libraries that `binary` links, and busybox,
 * whose httpd gives the image something of its own to serve. The binary itself arrives by the
 * example Dockerfile's own COPY line.
 */
export async function importNodelessBase(podman: Podman, root: string, binary: string, name: string): Promise<void> {
  mkdirSync(root);
  for (const library of sharedLibraries(binary)) {
    mkdirSync(join(root, dirname(library)), { recursive: true });
    copyFileSync(library, join(root, library));
  }
  addBusybox(root, ['sh', 'httpd', 'find', 'touch', 'rm']);
  await importRoot(podman, root, name);
}

/**
 * The example's runtime stage, rewritten for the locally made base: `FROM` names `base`, and
 * `COPY --from=build /app/x y` becomes `COPY x y` from a context that {@link prepareWorkerContext}
 * fills as the build stage would have. The HEALTHCHECK keeps its command, timeout and retries;
 * only its interval and start period are shortened, because no test can wait out a 60 s start
 * period (podman counts no failure before it ends, and ignores `--health-start-period` on the
 * command line unless the command is given there too). Everything else is the example's, line
 * for line. Throws if the stage copies something from the build stage that the context lacks.
 */
export function workerDockerfile(base: string, context: string): string {
  const dockerfile = readFileSync(join(EXAMPLE, 'Dockerfile'), 'utf8');
  const split = dockerfile.lastIndexOf('\nFROM ') + 1;
  const buildDir = /^WORKDIR (\S+)$/m.exec(dockerfile.slice(0, split))?.[1] ?? '/';
  const runtime = dockerfile.slice(split);
  return runtime
    .replace(/^FROM \S+/, `FROM ${base}`)
    .replace(/^COPY ((?:--\S+ )*)(.+)$/gm, (line, flags: string, paths: string) => {
      if (!/--from=/.test(flags)) return line;
      const words = paths.split(' ');
      const destination = words.pop() as string;
      const sources = words.map((source) => posix.relative(buildDir, posix.resolve(buildDir, source)));
      for (const source of sources) {
        if (!existsSync(join(context, source))) {
          throw new Error(
            `the example's runtime stage copies ${source} from its build stage, which the test's context lacks`,
          );
        }
      }
      return `COPY ${flags.replace(/--from=\S+ /, '')}${[...sources, destination].join(' ')}`;
    })
    .replace(/^(HEALTHCHECK .*)$/m, (line) =>
      line.replace(/--interval=\S+/, '--interval=2s').replace(/--start-period=\S+/, '--start-period=1s'),
    );
}

/**
 * Fills `context` as the Dockerfile's build stage (`npm ci` on linux-x64) leaves /app: the
 * example's package.json, its compiled dist, and node_modules with @healthsock/server,
 * @healthsock/cli and @healthsock/cli-linux-x64 as published (`pnpm pack`), the `healthsock`
 * command linked in node_modules/.bin as npm links it, and the CLI's own postinstall run, which
 * links the native binary over the command.
 */
export async function prepareWorkerContext(context: string): Promise<void> {
  mkdirSync(context, { recursive: true });
  copyExample(context);
  await ensureBinary();
  const packs = join(context, '.packs');
  mkdirSync(packs);
  const packages = { ...PACKAGES, 'cli-linux-x64': join(ROOT, 'packages/cli-linux-x64') };
  for (const name of ['server', 'cli', 'cli-linux-x64'] as const) {
    // npm packs the platform package, as the release does: it keeps the binary's executable bit.
    const tarball = await (name === 'cli-linux-x64'
      ? pack('npm', packages[name], packs)
      : pnpmPack(packages[name], packs));
    const into = join(context, 'node_modules/@healthsock', name);
    mkdirSync(into, { recursive: true });
    const tar = await run('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'], { killAfterMs: 30_000 });
    if (tar.code !== 0) throw new Error(`cannot unpack ${tarball}: ${tar.stderr}`);
  }
  const cli = JSON.parse(readFileSync(join(context, 'node_modules/@healthsock/cli/package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  mkdirSync(join(context, 'node_modules/.bin'));
  for (const [command, target] of Object.entries(cli.bin)) {
    symlinkSync(join('../@healthsock/cli', target), join(context, 'node_modules/.bin', command));
    chmodSync(join(context, 'node_modules/@healthsock/cli', target), 0o755);
  }
  const postinstall = await run(process.execPath, ['postinstall.mjs'], {
    cwd: join(context, 'node_modules/@healthsock/cli'),
    env: { ...process.env, npm_config_user_agent: 'npm/11 node/v24 linux x64' },
    killAfterMs: 30_000,
  });
  if (!/is the native binary/.test(postinstall.stdout)) {
    throw new Error(`the CLI's postinstall did not link the native binary: ${postinstall.stdout}${postinstall.stderr}`);
  }
  await compileExample(context);
  // compileExample links the workspace's @types/node, which points outside the context; the
  // production image has no dev dependencies anyway.
  unlinkSync(join(context, 'node_modules/@types/node'));
  writeFileSync(join(context, '.dockerignore'), '.packs\nsrc\ntsconfig.json\n');
}

/**
 * The x64 native binary, build/native/healthsock-linux-x64, built by scripts/build-native.sh when
 * it is missing or older than its sources, and staged into @healthsock/cli-linux-x64 (which
 * {@link prepareWorkerContext} installs): scripts/stage-native.sh does both.
 */
export async function ensureBinary(): Promise<string> {
  const result = await run(join(ROOT, 'scripts/stage-native.sh'), ['x64'], {
    env: { ...process.env },
    killAfterMs: 300_000,
  });
  if (result.code !== 0) throw new Error(`scripts/stage-native.sh x64 failed:\n${result.stderr}${result.stdout}`);
  return join(ROOT, 'build/native/healthsock-linux-x64');
}

/**
 * The example Dockerfile's own line that puts the native binary on the PATH (commented out
 * there, as the alternative to node_modules/.bin), uncommented.
 */
export function binaryCopyLine(): string {
  const dockerfile = readFileSync(join(EXAMPLE, 'Dockerfile'), 'utf8');
  const line = /^# (COPY --chmod=0755 healthsock-linux-x64 \S+)$/m.exec(dockerfile)?.[1];
  if (!line) throw new Error('examples/worker/Dockerfile no longer shows how to COPY the native binary');
  return line;
}
