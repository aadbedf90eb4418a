// podman, run with storage of its own: every test run gets a fresh root, run root and temporary
// directory under one folder, so its images and containers never meet anyone else's, and
// removing that folder (after unmounting what podman mounted there) removes all of them.
//
// What a machine like CI's needs: runc rather than crun (crun refuses cgroups in hybrid mode),
// and lower default ulimits than podman's, which the kernel refuses to raise to.
// Both go into a containers.conf that CONTAINERS_CONF points at. Without systemd, podman cannot
// start its health-check timers and says so on stderr at every `run`; the tests drive the checks
// with `podman healthcheck run` instead, so those lines are expected noise.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunResult } from './processes.js';
import { pollFor } from './time.js';

export interface Podman {
  /** The folder that holds this instance's storage and configuration. */
  readonly dir: string;
  /** Runs podman with this instance's storage; resolves whatever the exit code. */
  exec(args: readonly string[], options?: { killAfterMs?: number }): Promise<RunResult>;
  /** Like {@link exec}, but rejects, with podman's output, unless it exits 0. Resolves stdout. */
  ok(args: readonly string[], options?: { killAfterMs?: number }): Promise<string>;
  /** The command line that reaches this storage from a shell, for measurements and debugging. */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

/**
 * A podman whose storage lives in `dir`, which its first command creates (so that a skipped
 * test file leaves nothing behind).
 */
export function podmanIn(dir: string): Podman {
  const conf = join(dir, 'containers.conf');
  const argv = [
    'podman',
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'runroot'),
    '--tmpdir',
    join(dir, 'tmp'),
  ] as const;
  // Not the runner's environment: NODE_OPTIONS or NODE_EXTRA_CA_CERTS are not for podman.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    CONTAINERS_CONF: conf,
    TMPDIR: join(dir, 'tmp'),
  };
  const exec = (args: readonly string[], options: { killAfterMs?: number } = {}) => {
    if (!existsSync(conf)) {
      mkdirSync(join(dir, 'tmp'), { recursive: true });
      writeFileSync(conf, CONTAINERS_CONF);
    }
    return run(argv[0], [...argv.slice(1), ...args], { env, killAfterMs: options.killAfterMs ?? 60_000 });
  };
  return {
    dir,
    argv,
    env,
    exec,
    async ok(args, options) {
      const result = await exec(args, options);
      if (result.code !== 0) {
        throw new Error(
          `podman ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${result.stderr}${result.stdout}`,
        );
      }
      return result.stdout;
    },
  };
}

/**
 * Why podman cannot run containers here, or undefined if it can: it is installed, and (when
 * `image` is given) a container from `image` runs `true`.
 */
export async function podmanProblem(podman: Podman, image?: string): Promise<string | undefined> {
  const version = await podman.exec(['--version']).catch((error: Error) => ({ code: -1, stderr: error.message }));
  if (version.code !== 0) return `podman is not installed or does not start: ${version.stderr.trim()}`;
  if (image === undefined) return undefined;
  const trial = await podman.exec(['run', '--rm', '--network', 'none', image, 'true']);
  if (trial.code !== 0) return `podman cannot run a container: ${withoutTimerNoise(trial.stderr).trim()}`;
  return undefined;
}

/** podman's stderr without its complaints that it cannot reach systemd for health-check timers. */
export function withoutTimerNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/unable to get systemd connection/.test(line))
    .join('\n');
}

/**
 * Removes every container, pod and image of this storage, unmounts what podman left mounted
 * under it, and deletes the folder.
 */
export async function removePodmanStorage(podman: Podman): Promise<void> {
  await podman.exec(['pod', 'rm', '--all', '--force', '--time', '0']);
  await podman.exec(['rm', '--all', '--force', '--time', '0']);
  await podman.exec(['rmi', '--all', '--force']);
  // The overlay driver bind-mounts its own folder; the deepest mounts go first.
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === podman.dir || point.startsWith(`${podman.dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await run('umount', ['-l', point], { killAfterMs: 10_000 });
  rmSync(podman.dir, { recursive: true, force: true });
}

/**
 * `podman run --detach` of `image` as `name` on `network` (`none`, `host`), with the socket
 * directory `socketDir` (when given) at /run/healthsock, the environment `env`, and `options`
 * (further flags, before the image). Resolves when podman has started it.
 */
export async function runDetached(
  podman: Podman,
  name: string,
  image: string,
  {
    network,
    socketDir,
    env = {},
    options = [],
  }: { network: 'none' | 'host'; socketDir?: string; env?: Record<string, string>; options?: string[] },
): Promise<void> {
  const volume = socketDir === undefined ? [] : ['--volume', `${socketDir}:/run/healthsock`];
  const environment = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  await podman.ok([
    'run',
    '--detach',
    '--name',
    name,
    '--network',
    network,
    ...volume,
    ...environment,
    ...options,
    image,
  ]);
}

export interface Health {
  Status: 'starting' | 'healthy' | 'unhealthy' | '';
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[] | null;
}

/** A container's health as podman keeps it, and the host PID of its main process (0 if not running). */
export async function inspectContainer(podman: Podman, name: string): Promise<{ health: Health; pid: number }> {
  const out = await podman.ok(['inspect', '--format', '{{json .State.Health}} {{.State.Pid}}', name]);
  const split = out.trim().lastIndexOf(' ');
  return { health: JSON.parse(out.slice(0, split)) as Health, pid: Number(out.slice(split + 1)) };
}

/**
 * One `podman healthcheck run`, which does what podman's timer would do at each interval:
 * runs the check, records it in the health log, and acts on the verdict (a restart with
 * --health-on-failure=restart). Resolves with podman's exit code and the state afterwards.
 */
export async function runHealthCheck(podman: Podman, name: string) {
  // A restart waits out the stop timeout of a worker that ignores SIGTERM.
  const result = await podman.exec(['healthcheck', 'run', name], { killAfterMs: 60_000 });
  return {
    code: result.code,
    output: withoutTimerNoise(result.stderr + result.stdout).trim(),
    ...(await inspectContainer(podman, name)),
  };
}

/**
 * Waits until the container's log (which keeps the output of earlier runs after a restart)
 * contains `text` at least `times` times; rejects with the log after `timeoutMs`.
 */
export async function waitForLog(podman: Podman, name: string, text: string, times = 1, timeoutMs = 20_000) {
  const readLog = async () => {
    const result = await podman.exec(['logs', name]);
    return result.stdout + result.stderr;
  };
  const log = await pollFor(readLog, (seen) => seen.split(text).length > times, { withinMs: timeoutMs, everyMs: 100 });
  if (log.split(text).length > times) return;
  throw new Error(`container ${name} did not print ${JSON.stringify(text)} within ${timeoutMs} ms; its log:\n${log}`);
}

/**
 * Freezes the container's main process with SIGSTOP from outside (the process, event loop and
 * all, stops where it is), then runs health checks until podman has replaced it, at most
 * `limit` times. Resolves with the PIDs before and after, and the checks that ran before the
 * restart, each with its health-log entry.
 */
export async function freezeUntilRestarted(podman: Podman, name: string, limit: number) {
  const before = await inspectContainer(podman, name);
  if (before.pid <= 0) throw new Error(`container ${name} is not running`);
  process.kill(before.pid, 'SIGSTOP');
  const failures = [];
  let after = before;
  for (let attempt = 1; attempt <= limit && after.pid === before.pid; attempt += 1) {
    const result = await runHealthCheck(podman, name);
    if (result.pid === before.pid) failures.push({ ...result, entry: result.health.Log?.at(-1) });
    after = result;
  }
  return { before: before.pid, after: after.pid, failures };
}

/**
 * Runs health checks until one passes, at most `attempts` times, and resolves with the last.
 * For the healthy cases only: on a machine busy enough, the runtime alone can use up a check's
 * timeout, and podman's timer would simply run the check again at the next interval.
 */
export async function runHealthCheckUntilPassing(podman: Podman, name: string, attempts = 3) {
  let result = await runHealthCheck(podman, name);
  for (let attempt = 1; attempt < attempts && result.code !== 0; attempt += 1)
    result = await runHealthCheck(podman, name);
  return result;
}
