// End to end: a real worker process hosting the built server, probed by the built CLI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { exchange } from './helpers/exchange.js';
import { run, runCli } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const sandbox = useSandbox();
let socket: string;
beforeEach(() => (socket = sandbox.socket));

/** Sends raw bytes, as socat or a hand-written script would, and returns the whole answer. */
async function rawExchange(path: string, request: string): Promise<string> {
  return (await exchange(path, request)).reply;
}

describe('healthsock against a real worker', () => {
  it('passes: exit 0 and one line on stdout', async () => {
    await sandbox.worker(socket, [{ name: 'db', behaviour: 'pass' }]);
    const result = await runCli(['readiness', '-s', socket]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^healthy: readiness passed at ${socket} \\(1 check, [\\d.]+ ms\\)\\n$`));
  });

  it('fails an unhealthy check: exit 1 with the reason line', async () => {
    await sandbox.worker(socket, [{ name: 'postgres', behaviour: 'fail' }]);
    const result = await runCli(['readiness', '-s', socket]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^unhealthy: readiness failed at ${socket}: postgres: postgres is down \\([\\d.]+ ms\\)$`, 'm'),
    );
  });

  it('keeps liveness passing while a dependency is down', async () => {
    await sandbox.worker(socket, [{ name: 'postgres', behaviour: 'fail' }]);
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);
  });

  it('fails a hanging check within the deadline, naming the check', async () => {
    await sandbox.worker(socket, [
      { name: 'db', behaviour: 'pass' },
      { name: 'broker', behaviour: 'hang', timeoutMs: 60_000 },
    ]);
    // 2 s rather than the default 800 ms: on a loaded machine the CLI's own start-up can take most
    // of 800 ms, and the point here is which line arrives, not how fast.
    const result = await runCli(['readiness', '-s', socket, '-t', '2s']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^unhealthy: readiness failed at .*: broker: timed out after \d+ ms/);
    // The reply arrives before the deadline, so the server could say which check was slow.
    expect(result.elapsedMs).toBeLessThan(2000 + 1500);
  });

  it('fails with timeout: when the worker event loop is blocked', async () => {
    const blocked = await sandbox.worker(socket, []);
    blocked.send('block 4000');
    await blocked.nextLine('blocking');
    const result = await runCli(['liveness', '-s', socket, '-t', '500ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^timeout: no reply from ${socket} within 500 ms`));
    // Measured from outside the CLI, start-up included: at the deadline, plus generous room for a
    // noisy machine, and well before the worker unblocks.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(result.elapsedMs).toBeLessThan(500 + 2000);
    await blocked.nextLine('unblocked');
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);
  });

  it('reports no-socket when nothing is at the path', async () => {
    const result = await runCli(['-s', socket]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^no-socket: no socket at ${socket}`));
  });

  it('reports refused for the stale file of a killed worker, and a restarted worker listens again', async () => {
    const first = await sandbox.worker(socket, []);
    await first.kill('SIGKILL');
    expect(existsSync(socket)).toBe(true);
    const refused = await runCli(['-s', socket]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^refused: nothing is listening at ${socket}`));

    const second = await sandbox.worker(socket, []);
    expect(second.status).toBe('listening');
    expect((await runCli(['-s', socket])).code).toBe(0);
  });

  it('refuses to start over a regular file, and leaves the file intact', async () => {
    writeFileSync(socket, 'important data\n');
    const refused = await sandbox.worker(socket, []);
    expect(refused.status).toBe(
      `error ERR_SOCKET_PATH_NOT_SOCKET socket path ${socket} is a regular file; refusing to replace it (remove it, or choose another socketPath)`,
    );
    expect(readFileSync(socket, 'utf8')).toBe('important data\n');
  });

  it('answers the hc compatibility request with one byte', async () => {
    const healthy = await sandbox.worker(socket, [{ name: 'loop', behaviour: 'pass', probes: ['liveness'] }]);
    expect(await rawExchange(socket, 'hc')).toBe('0');
    healthy.send('set loop fail');
    await healthy.nextLine('set');
    expect(await rawExchange(socket, 'hc')).toBe('1');
  });

  it('answers a bare word sent as socat would send it', async () => {
    await sandbox.worker(socket, [{ name: 'postgres', behaviour: 'fail' }]);
    const reply = JSON.parse(await rawExchange(socket, 'readiness\n'));
    expect(reply).toMatchObject({
      v: 1,
      probe: 'readiness',
      status: 'unhealthy',
      checks: [{ name: 'postgres', status: 'unhealthy', message: 'postgres is down' }],
    });
  });

  it('serves socat itself, when socat is installed', async (context) => {
    const which = await run('sh', ['-c', 'command -v socat']);
    if (which.code !== 0) return context.skip('socat is not installed');
    await sandbox.worker(socket, [{ name: 'db', behaviour: 'degraded' }]);
    const result = await run('sh', ['-c', `printf 'readiness\\n' | socat - UNIX-CONNECT:${socket}`]);
    expect(JSON.parse(result.stdout)).toMatchObject({ probe: 'readiness', status: 'degraded' });
  });

  it('lets a worker with nothing else to do exit while it is listening', async () => {
    const idle = await sandbox.worker(socket, []);
    idle.child.stdin.end();
    expect(await idle.exited).toEqual({ code: 0, signal: null });
  });
});
