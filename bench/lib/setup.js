/** What every measurement needs: a clean environment, the compiled helpers, servers to probe. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
/** Build products and scratch files of the benchmark; ignored by git. */
export const WORK = join(ROOT, '.bench');

/**
 * The environment of every process the benchmark starts. NODE_EXTRA_CA_CERTS makes Node 20
 * read and parse a CA bundle at every start (about 35 ms), which would swamp what we measure.
 */
export function benchEnv(extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.HEALTHSOCK_SOCKET;
  delete env.NODE_OPTIONS;
  // `#!/usr/bin/env node` must find the same Node that runs the benchmark.
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  return env;
}

/**
 * Installs the Debian packages the benchmark needs when they are missing (CI machines start
 * bare; we run as root there): gcc for the C helpers, curl for its cold-start row, valgrind
 * for instruction counts.
 */
export function ensureTools() {
  /** @type {Record<string, string[]>} command → packages */
  const needs = { gcc: ['gcc', 'libc6-dev'], curl: ['curl'], valgrind: ['valgrind'] };
  const missing = Object.keys(needs).filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length === 0) return;
  console.error(`bench: installing ${missing.join(' ')} with apt-get`);
  /** @type {import('node:child_process').ExecFileSyncOptions} */
  const apt = { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], apt);
  const packages = missing.flatMap((tool) => needs[tool] ?? []);
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], apt);
}

/**
 * Compiles one C file of the benchmark into .bench/, unless it is up to date.
 *
 * @param {string} source path under bench/ @param {string} name @param {string[]} [flags]
 */
export function compile(source, name, flags = []) {
  const input = join(BENCH, source);
  const output = join(WORK, name);
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(output) || statSync(output).mtimeMs < statSync(input).mtimeMs) {
    execFileSync('gcc', ['-O2', '-o', output, input, ...flags], { stdio: 'inherit' });
  }
  return output;
}

/**
 * Installs the built packages into .bench/app the way npm lays them out for a user: the
 * package files under node_modules/@healthsock, and node_modules/.bin/healthsock a symlink
 * to the CLI's executable script.
 */
export function installLikeAUser() {
  const app = join(WORK, 'app');
  rmSync(app, { recursive: true, force: true });
  for (const name of ['cli', 'server']) {
    const from = join(ROOT, 'packages', name);
    if (!existsSync(join(from, 'dist'))) throw new Error(`packages/${name}/dist is missing: run pnpm build first`);
    const to = join(app, 'node_modules', '@healthsock', name);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true, filter: (path) => !path.endsWith('.map') });
  }
  mkdirSync(join(app, 'node_modules', '.bin'));
  symlinkSync('../@healthsock/cli/dist/bin.cjs', join(app, 'node_modules', '.bin', 'healthsock'));
  return app;
}

/**
 * Installs one more build of the CLI's bin.cjs into a user-like install as its own command,
 * for comparing builds side by side. Returns the command's path.
 *
 * @param {string} app @param {string} binCjs @param {string} name
 */
export function installAsCommand(app, binCjs, name) {
  const dir = join(app, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  cpSync(binCjs, join(dir, 'bin.cjs'));
  chmodSync(join(dir, 'bin.cjs'), 0o755);
  const command = join(app, 'node_modules', '.bin', name);
  rmSync(command, { force: true });
  symlinkSync(`../${name}/bin.cjs`, command);
  return command;
}

/**
 * Whether the built server has its HTTP transport (`http: { port }`, `health.ports`); the
 * benchmark leaves out the rows that need it otherwise, so that it also measures older builds.
 */
export function hasHttpTransport() {
  const entry = new URL('../../packages/server/dist/index.js', import.meta.url).href;
  const code = `const { createHealthServer } = await import(${JSON.stringify(entry)});
const health = createHealthServer({ socketPath: false, http: { port: 0, host: '127.0.0.1' } });
process.exit(health.ports ? 0 : 1);`;
  return (
    spawnSync(process.execPath, ['--input-type=module', '-e', code], { env: benchEnv(), stdio: 'ignore' }).status === 0
  );
}

/** A fresh directory for sockets, short enough for sun_path. */
export function socketDir() {
  return mkdtempSync('/tmp/hs-bench-');
}

/**
 * Starts one of bench/servers/*.js and waits until it listens. `where` is a Unix socket's path,
 * or `tcp` for a free port on 127.0.0.1; `address` is then what bench/load/loadgen.c connects to.
 *
 * @param {string} script file name in bench/servers
 * @param {string} where
 * @param {Record<string, string>} [env]
 */
export async function startServer(script, where, env = {}) {
  const child = spawn(process.execPath, [join(BENCH, 'servers', script), where], {
    cwd: BENCH,
    env: benchEnv(env),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  /** @type {Record<string, ((line: string) => void)[]>} waiting for a line that starts with the key */
  const waiting = { listening: [], elu: [] };
  let pending = '';
  child.stdout.on('data', (/** @type {string} */ text) => {
    pending += text;
    let newline;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const space = line.indexOf(' ');
      // Anything else a library prints (a log line) is not ours.
      waiting[line.slice(0, space)]?.shift()?.(line.slice(space + 1));
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const nextLine = (/** @type {string} */ kind) =>
    new Promise((resolve) => /** @type {((line: string) => void)[]} */ (waiting[kind]).push(resolve));
  const address = await Promise.race([nextLine('listening'), exited.then(() => undefined)]);
  if (address === undefined) throw new Error(`bench server ${script} ${where} exited before it listened`);
  return {
    pid: /** @type {number} */ (child.pid),
    address: String(address),
    /** Event-loop utilisation since the previous call. @returns {Promise<{idle: number, active: number, utilization: number}>} */
    async elu() {
      const line = nextLine('elu');
      child.stdin.write('elu\n');
      return JSON.parse(String(await line));
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
