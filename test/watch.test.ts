// End to end: `healthsock --watch` in a real terminal (tmux) and in a pipe, against a real worker.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { childEnv, cliCommand, cliShellCommand, NODE_ONLY } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollFor, sleep } from './helpers/time.js';

const sandbox = useSandbox();

/** Polls `read` until `pattern` matches what it returns, or fails with the last reading. */
async function waitFor(read: () => string, pattern: RegExp, withinMs = 8000): Promise<string> {
  const text = await pollFor(read, (seen) => pattern.test(seen), { withinMs, everyMs: 50 });
  if (pattern.test(text)) return text;
  throw new Error(`no ${pattern} within ${withinMs} ms in:\n${text}`);
}

/** Starts the built CLI in watch mode with a pipe for stdout; `output()` is what it printed so far. */
function startWatch(args: string[]) {
  const { command, args: all } = cliCommand(args);
  const child = spawn(command, all, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => stdout };
}

// The redrawing terminal view is the Node CLI's alone: the native binary prints the piped format everywhere.
describe.skipIf(NODE_ONLY.skip)('healthsock --watch in a terminal (the Node CLI only)', () => {
  it('redraws in place when a check changes, and exits 0 on Ctrl-C', async () => {
    const socket = sandbox.socket;
    const worker = await sandbox.worker(socket, [
      { name: 'db', behaviour: 'pass' },
      { name: 'cache', behaviour: 'degraded' },
    ]);
    // A tmux server of its own, on a socket name no other test uses.
    const server = `hs-watch-${randomBytes(6).toString('hex')}`;
    const tmux = (...args: string[]) =>
      spawnSync('tmux', ['-L', server, '-f', '/dev/null', ...args], { env: childEnv(), encoding: 'utf8' });
    const command = `${cliShellCommand(['readiness', '-s', socket, '--watch', '200ms'])}; echo "exit=$?"; sleep 30`;
    expect(tmux('new-session', '-d', '-x', '120', '-y', '20', command).status).toBe(0);
    try {
      const screen = () => tmux('capture-pane', '-p').stdout;
      const first = await waitFor(screen, /db\s+healthy/);
      expect(first).toMatch(/^healthsock readiness at .* every 0\.2s \(Ctrl-C to stop\)/);
      expect(first).toMatch(/cache\s+degraded\s+[\d.]+ ms\s+for \d+s\s+cache is slow/);
      // Colours on a terminal: the escape codes are there when tmux is asked to keep them.
      expect(tmux('capture-pane', '-p', '-e').stdout).toContain('\x1b[32mhealthy');

      worker.send('set db fail');
      const changed = await waitFor(screen, /db\s+unhealthy\s+[\d.]+ ms\s+for \d+s\s+db is down/);
      // Redrawn in place: still one header and the same three rows, not a second table below.
      expect(changed.match(/^healthsock readiness at /gm)).toHaveLength(1);
      expect(changed.split('\n').filter((line) => line.trim() !== '')).toHaveLength(4);
      expect(changed).toMatch(/^readiness\s+unhealthy/m);

      tmux('send-keys', 'C-c');
      const after = await waitFor(screen, /exit=\d+/);
      expect(after).toMatch(/exit=0/);
    } finally {
      tmux('kill-server');
    }
  });
});

describe('healthsock --watch in a pipe', () => {
  it('prints one line per change, and exits 0 on SIGINT', async () => {
    const socket = sandbox.socket;
    const worker = await sandbox.worker(socket, [{ name: 'db', behaviour: 'pass' }]);
    const { child, exited, output } = startWatch(['readiness', '-s', socket, '--watch', '200ms']);
    try {
      await waitFor(output, /db healthy/);
      await sleep(700);
      worker.send('set db fail');
      await waitFor(output, /db unhealthy \(was healthy\)/);
      await sleep(700);
      worker.send('set db pass');
      await waitFor(output, /db healthy \(was unhealthy\)/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const lines = output().trim().split('\n');
    expect(lines.map((line) => line.replace(/^\S+ (\S+ \S+).*$/, '$1'))).toEqual([
      'readiness healthy',
      'db healthy',
      'readiness unhealthy',
      'db unhealthy',
      'readiness healthy',
      'db healthy',
    ]);
    expect(output()).not.toContain('\x1b');
  });
});

describe('healthsock --watch failures', () => {
  // The built watch file is a bundle of its own, so its failures must keep the class the one-shot
  // probe gives: the same words mean the same thing in pod events and on a person's screen.
  it.each([
    ['a socket path with nothing there', (dir: string) => ['-s', `${dir}/none.sock`], /^\S+ liveness no-socket: /m],
    ['a missing heartbeat file', (dir: string) => [`file:${dir}/none`], /^\S+ liveness no-file: /m],
  ])('names the class of %s, as the one-shot probe does', async (_, target, expected) => {
    const { child, exited, output } = startWatch([...target(sandbox.dir), '--watch', '200ms']);
    try {
      await waitFor(output, /liveness \S+:/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(output()).toMatch(expected);
  });

  it('reports a bad interval as a usage error without an internal class name', () => {
    const { command, args } = cliCommand(['--watch', 'abc']);
    const result = spawnSync(command, args, { env: childEnv(), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^usage: /);
    expect(result.stderr).not.toContain('ProbeError');
  });
});
