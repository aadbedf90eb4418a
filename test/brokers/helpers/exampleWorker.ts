// The queue examples, built outside the repository as a newcomer would build a copy, and run as
// real worker processes whose lines the tests read and whose probes they run with the real CLI.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileExample, copyExample, linkWorkspacePackages } from '../../helpers/example.js';
import { childEnv, onLines, runCli } from '../../helpers/processes.js';
import { pollFor } from '../../helpers/time.js';

const TEST_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/** Copies examples/<name> into `project`, links its broker client from the test package, and compiles it. */
export async function buildExample(name: string, project: string, clients: string[]): Promise<string> {
  mkdirSync(project, { recursive: true });
  copyExample(project, fileURLToPath(new URL(`../../../examples/${name}/`, import.meta.url)));
  linkWorkspacePackages(project);
  for (const client of clients) symlinkSync(join(TEST_MODULES, client), join(project, 'node_modules', client), 'dir');
  await compileExample(project);
  return join(project, 'dist/worker.js');
}

export interface ExampleWorker {
  name: string;
  child: ChildProcessWithoutNullStreams;
  socket: string;
  /** Every stdout line so far, in order, with the time it arrived. */
  lines: { at: number; text: string }[];
  /** Resolves with the first line (already seen or still to come) that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a compiled example. `onLine` sees every stdout line as it arrives, e.g. to count acks
 * across several workers.
 */
export function startExample(
  script: string,
  name: string,
  socket: string,
  env: Record<string, string>,
  onLine: (line: string, worker: string) => void = () => undefined,
): ExampleWorker {
  const child = spawn(process.execPath, [script], {
    env: childEnv({ HEALTHSOCK_SOCKET: socket, ...env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: { at: number; text: string }[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  let stderr = '';
  onLines(child.stdout, (text) => {
    lines.push({ at: Date.now(), text });
    onLine(text, name);
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(text)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(text);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    child,
    socket,
    lines,
    exited,
    stderr: () => stderr,
    waitFor(pattern, timeoutMs = 30_000) {
      const seen = lines.find((line) => pattern.test(line.text));
      if (seen) return Promise.resolve(seen.text);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${name} printed no line matching ${pattern} in ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(({ code, signal }) => {
          if (!waiters.includes(waiter)) return;
          waiters.splice(waiters.indexOf(waiter), 1);
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code ?? signal}) before a line matching ${pattern}; stderr: ${stderr}`));
        });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface ProbeResult {
  passed: boolean;
  /** The reply's checks by name, when the worker answered. */
  checks: Record<string, { status: string; message?: string }>;
  output: string;
}

/** Runs `healthsock <probe> --json` against a worker, as kubelet's exec probe would. */
export async function probe(
  worker: { socket: string },
  kind: 'liveness' | 'readiness' | 'startup',
): Promise<ProbeResult> {
  const result = await runCli([kind, '--json', '--timeout', '2s', '--socket', worker.socket], { killAfterMs: 10_000 });
  const checks: ProbeResult['checks'] = {};
  try {
    const reply = JSON.parse(result.stdout) as { checks?: { name: string; status: string; message?: string }[] };
    for (const check of reply.checks ?? []) checks[check.name] = check;
  } catch {
    // no reply: the output says why
  }
  return { passed: result.code === 0, checks, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Probes until `done` holds for a result, or throws with the last one after `timeoutMs`. */
export async function probeUntil(
  worker: { socket: string },
  kind: 'liveness' | 'readiness',
  done: (result: ProbeResult) => boolean,
  timeoutMs: number,
): Promise<ProbeResult> {
  const last = await pollFor(() => probe(worker, kind), done, { withinMs: timeoutMs, everyMs: 100 });
  if (done(last)) return last;
  throw new Error(`${kind} never reached the expected state in ${timeoutMs} ms; last: ${last.output}`);
}
