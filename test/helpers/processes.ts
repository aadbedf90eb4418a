import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.cjs', import.meta.url));
export const WORKER = fileURLToPath(new URL('../fixtures/worker.js', import.meta.url));

/** The environment for child processes, without the CA bundle that slows every Node start. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.HEALTHSOCK_SOCKET;
  return { ...env, ...extra };
}

/** A short temporary directory: socket paths must stay under 108 bytes. */
export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync('/tmp/hs-');
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, as the process's caller sees it. */
  elapsedMs: number;
}

/** Runs a command to completion, killing it after `killAfterMs` as kubelet would. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; killAfterMs?: number; cwd?: string; uid?: number; gid?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? childEnv(),
      cwd: options.cwd,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 10_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

/**
 * The implementation of `healthsock` that the end-to-end tests run: the Node CLI, or, when
 * `HEALTHSOCK_CLI_UNDER_TEST` names a binary, that native binary, run through
 * `HEALTHSOCK_CLI_PREFIX` when set (e.g. `qemu-aarch64-static` for arm64). The same test files
 * run against both (vitest.native.config.ts); a test that only the Node CLI can pass says why
 * with {@link NODE_ONLY}.
 */
export const CLI_UNDER_TEST = cliUnderTest(process.env);

function cliUnderTest(env: NodeJS.ProcessEnv): { native: boolean; command: string; prefix: string[] } {
  const binary = env.HEALTHSOCK_CLI_UNDER_TEST;
  if (!binary) return { native: false, command: process.execPath, prefix: [CLI_BIN] };
  const runner = (env.HEALTHSOCK_CLI_PREFIX ?? '').split(' ').filter(Boolean);
  return runner.length > 0
    ? { native: true, command: runner[0] as string, prefix: [...runner.slice(1), binary] }
    : { native: true, command: binary, prefix: [] };
}

/** The command and arguments that start the CLI under test with `args`. */
export function cliCommand(args: readonly string[]): { command: string; args: string[] } {
  return { command: CLI_UNDER_TEST.command, args: [...CLI_UNDER_TEST.prefix, ...args] };
}

/** The command line that starts the CLI under test, quoted for a shell. */
export function cliShellCommand(args: readonly string[]): string {
  const { command, args: rest } = cliCommand(args);
  return [command, ...rest].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
}

/**
 * Skips a test when the native binary is under test, for behaviour that only the Node CLI has:
 * `it.skipIf(NODE_ONLY.skip)(...)`, with the reason in the test's name.
 */
export const NODE_ONLY = { skip: CLI_UNDER_TEST.native };

/** Runs the `healthsock` CLI under test (the Node CLI unless told otherwise, see {@link CLI_UNDER_TEST}). */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {}) {
  const { command, args: all } = cliCommand(args);
  return run(command, all, options);
}

export interface Worker {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the next line the worker prints that starts with one of `prefixes`. */
  nextLine(...prefixes: string[]): Promise<string>;
  send(line: string): void;
  /** Everything the worker wrote to stderr so far, e.g. its warnings. */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface CheckSpec {
  name: string;
  probes?: ('liveness' | 'readiness' | 'startup')[];
  timeoutMs?: number;
  behaviour: 'pass' | 'fail' | 'hang' | 'never' | 'degraded' | 'block';
}

/** Calls `onLine` with each whole line `stream` prints (without its newline), as it arrives. */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line);
    }
  });
}

/** Starts a worker process (by default the fixture worker) and waits for its first status line. */
export async function startWorker(
  socketPath: string,
  checks: CheckSpec[] = [],
  options: {
    script?: string;
    execPath?: string;
    env?: Record<string, string>;
    nodeArgs?: string[];
    uid?: number;
    gid?: number;
  } = {},
): Promise<Worker & { status: string }> {
  const child = spawn(options.execPath ?? process.execPath, [...(options.nodeArgs ?? []), options.script ?? WORKER], {
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    env: childEnv({ HEALTHSOCK_SOCKET: socketPath, HS_CHECKS: JSON.stringify(checks), ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefixes: string[]; resolve(line: string): void }[] = [];
  const matches = (line: string, prefixes: string[]) => prefixes.some((prefix) => line.startsWith(prefix));
  onLines(child.stdout, (line) => {
    const waiter = waiters.findIndex((w) => matches(line, w.prefixes));
    if (waiter === -1) lines.push(line);
    else waiters.splice(waiter, 1)[0]?.resolve(line);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const nextLine = (...prefixes: string[]) =>
    new Promise<string>((resolve, reject) => {
      const index = lines.findIndex((line) => matches(line, prefixes));
      if (index !== -1) return resolve(lines.splice(index, 1)[0] as string);
      const waiter = { prefixes, resolve };
      waiters.push(waiter);
      void exited.then(({ code, signal }) => {
        if (!waiters.includes(waiter)) return;
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(
          new Error(`worker exited (${code ?? signal}) before printing ${prefixes.join(' or ')}; stderr: ${stderr}`),
        );
      });
    });
  const worker: Worker = {
    child,
    nextLine,
    send: (line) => child.stdin.write(`${line}\n`),
    stderr: () => stderr,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const status = await nextLine('listening', 'error');
  return { ...worker, status };
}
