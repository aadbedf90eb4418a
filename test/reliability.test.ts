// Reliability end to end: graceful shutdown, hostile clients, misbehaving checks and a hostile
// environment, each against a real worker process. After every assault the worker must still
// answer correctly.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { copyWorkerForOthers } from './helpers/copyWorkerForOthers.js';
import { exchange as rawExchange } from './helpers/exchange.js';
import { childEnv, cliCommand, run, runCli, type CheckSpec, type startWorker } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollFor, pollUntil, sleep } from './helpers/time.js';

const sandbox = useSandbox();
let socket: string;
beforeEach(() => (socket = sandbox.socket));

function worker(checks: CheckSpec[] = [], options: Parameters<typeof startWorker>[2] = {}, at = socket) {
  return sandbox.worker(at, checks, options);
}

/** Talks to this test's socket as a raw client; see helpers/exchange.ts. */
function exchange(request: string | Buffer | undefined, options: { halfClose?: boolean } = {}) {
  return rawExchange(socket, request, options);
}

async function expectStillServing() {
  const { reply } = await exchange('liveness\n');
  expect(JSON.parse(reply)).toMatchObject({ v: 1, probe: 'liveness', status: 'healthy' });
}

describe('graceful shutdown on SIGTERM', () => {
  it('fails readiness at once, keeps liveness, then closes, removes the socket and lets the worker exit', async () => {
    // The drain must outlast two CLI starts, which take seconds on a loaded machine.
    const draining = await worker([{ name: 'db', behaviour: 'pass' }], {
      env: { HS_SIGTERM: '1', HS_OPTIONS: JSON.stringify({ drainDelayMs: 5000 }) },
    });
    expect((await runCli(['readiness', '-s', socket])).code).toBe(0);
    draining.child.kill('SIGTERM');
    await sleep(50);

    const readiness = await runCli(['readiness', '-s', socket]);
    expect(readiness.code).toBe(1);
    expect(readiness.stderr).toBe(`unhealthy: readiness failed at ${socket}: shutting down\n`);
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);

    await draining.nextLine('shutdown complete');
    expect(existsSync(socket)).toBe(false);
    // Nothing the server left behind keeps the process alive: it exits by itself, not by signal.
    expect(await draining.exited).toEqual({ code: 0, signal: null });
  });
});

describe('a repeated SIGTERM during the drain', () => {
  it('is ignored: the drain runs its course, onShutdown runs, the socket is removed and the worker exits by itself', async () => {
    // The drain must outlast a CLI start, which takes seconds on a loaded machine.
    const draining = await worker([{ name: 'db', behaviour: 'pass' }], {
      env: { HS_SIGTERM: '1', HS_OPTIONS: JSON.stringify({ drainDelayMs: 5000 }) },
    });
    draining.child.kill('SIGTERM');
    await sleep(100);
    draining.child.kill('SIGTERM');
    await sleep(100);
    // Still draining: the second signal neither killed the worker nor cut the drain short.
    const readiness = await runCli(['readiness', '-s', socket]);
    expect(readiness.stderr).toBe(`unhealthy: readiness failed at ${socket}: shutting down\n`);
    draining.child.kill('SIGTERM');
    await draining.nextLine('shutdown complete');
    expect(existsSync(socket)).toBe(false);
    expect(await draining.exited).toEqual({ code: 0, signal: null });
  });
});

describe('hostile and broken input', () => {
  it.each([
    ['a request over 4 KiB', 'a'.repeat(5000), 'ERR_REQUEST_TOO_LARGE'],
    ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]), 'ERR_UNKNOWN_PROBE'],
    ['invalid UTF-8', Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a]), 'ERR_UNKNOWN_PROBE'],
    ['invalid JSON', '{"probe": liveness}\n', 'ERR_INVALID_REQUEST'],
    ['JSON of the wrong shape', '{"probe":["liveness"],"timeoutMs":"soon"}\n', 'ERR_UNKNOWN_PROBE'],
    ['an unknown probe', 'healthz\n', 'ERR_UNKNOWN_PROBE'],
  ])('answers %s with a JSON error, and keeps serving', async (_, request, code) => {
    await worker();
    const { reply } = await exchange(request);
    expect(JSON.parse(reply)).toMatchObject({ v: 1, error: { code } });
    await expectStillServing();
  });

  it('closes a client that never sends a newline after the idle timeout', async () => {
    await worker([], { env: { HS_OPTIONS: JSON.stringify({ idleTimeoutMs: 300 }) } });
    const { reply, ms } = await exchange('liven');
    expect(JSON.parse(reply).error.code).toBe('ERR_REQUEST_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(3000);
    await expectStillServing();
  });

  it('answers a client that half-closes after its request', async () => {
    await worker();
    expect(JSON.parse((await exchange('readiness', { halfClose: true })).reply).status).toBe('healthy');
  });

  it('survives a client that vanishes before its reply', async () => {
    await worker([{ name: 'slow', behaviour: 'hang', timeoutMs: 300 }]);
    for (let i = 0; i < 20; i++) {
      const client = net.connect(socket, () => client.write('readiness\n'));
      client.on('connect', () => setTimeout(() => client.destroy(), 5));
    }
    await sleep(500);
    await expectStillServing();
  });

  it('refuses the excess of a 1000-connection burst quickly, and keeps serving', async () => {
    // Every admitted connection waits 3 s for a slow check, so the cap of 50 fills up at once;
    // beyond the listen backlog the kernel itself refuses, which is as quick and as bounded.
    await worker([{ name: 'slow', behaviour: 'hang', timeoutMs: 3000 }], {
      env: { HS_OPTIONS: JSON.stringify({ maxConnections: 50 }) },
    });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        exchange('readiness\n').catch((error: NodeJS.ErrnoException) => ({
          reply: `connect ${error.code}`,
          ms: performance.now() - started,
        })),
      ),
    );
    const elapsed = performance.now() - started;
    const kinds = { answered: 0, overloaded: 0, kernel: 0, other: [] as string[] };
    const refusalMs: number[] = [];
    for (const { reply, ms } of outcomes) {
      if (reply.includes('"probe":"readiness"')) kinds.answered++;
      // A connection closed to make room before its client wrote shows the client EPIPE or a reset.
      else if (reply.includes('ERR_OVERLOADED') || /^connect (EAGAIN|EPIPE|ECONNRESET)$/.test(reply)) {
        if (reply.startsWith('connect ')) kinds.kernel++;
        else kinds.overloaded++;
        refusalMs.push(ms);
      } else kinds.other.push(reply);
    }
    console.log(
      `burst of 1000: ${kinds.answered} answered, ${kinds.overloaded} refused with ERR_OVERLOADED, ` +
        `${kinds.kernel} refused by the kernel or cut before writing, in ${elapsed.toFixed(0)} ms`,
    );
    expect(kinds.other).toEqual([]);
    expect(kinds.answered).toBeGreaterThanOrEqual(50);
    expect(kinds.overloaded + kinds.kernel).toBeGreaterThan(0);
    // Refusals come at once; they do not queue behind the 3 s check, with room for a busy machine.
    expect(Math.max(...refusalMs)).toBeLessThan(2500);
    expect(elapsed).toBeLessThan(10_000);
    await expectStillServing();
  });
});

/** Opens `count` connections that send nothing, and resolves once all are connected. */
async function silentConnections(count: number): Promise<net.Socket[]> {
  const sockets = Array.from({ length: count }, () => net.connect(socket));
  for (const client of sockets) client.on('error', () => undefined);
  await Promise.all(sockets.map((client) => new Promise((resolve) => client.once('connect', resolve))));
  return sockets;
}

describe('load and connections', () => {
  it('answers a real probe at once while 300 silent connections are open', async () => {
    await worker();
    const flood = await silentConnections(300);
    try {
      expect(await runCli(['liveness', '-s', socket])).toMatchObject({ code: 0 });
    } finally {
      for (const client of flood) client.destroy();
    }
  });

  it('closes the oldest silent connection to make room when silent connections fill the cap', async () => {
    await worker([], { env: { HS_OPTIONS: JSON.stringify({ maxConnections: 100 }) } });
    const flood = await silentConnections(300);
    const goodbyes: string[] = [];
    for (const client of flood) client.on('data', (chunk) => goodbyes.push(chunk.toString()));
    try {
      // A connection silent for a second is no real probe on its way, and may be closed.
      await sleep(1200);
      for (let i = 0; i < 5; i++) expect(await runCli(['liveness', '-s', socket])).toMatchObject({ code: 0 });
      expect(goodbyes.some((reply) => reply.includes('closed to make room'))).toBe(true);
    } finally {
      for (const client of flood) client.destroy();
    }
  });

  it('answers at least 90% of a burst of 1000 concurrent probes, leaves none hanging, and frees every descriptor', async () => {
    const started = await worker([{ name: 'db', behaviour: 'pass' }]);
    started.send('stats');
    const [, fdsBefore] = (await started.nextLine('stats')).split(' ');
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        exchange('readiness\n').then(
          ({ reply }) => reply,
          (error: NodeJS.ErrnoException) => `connect ${error.code}`,
        ),
      ),
    );
    const answered = outcomes.filter((reply) => reply.includes('"probe":"readiness"')).length;
    const others = outcomes.filter((reply) => !reply.includes('"probe":"readiness"'));
    console.log(`burst of 1000 with the defaults: ${answered} answered; others: ${[...new Set(others)].join(', ')}`);
    expect(answered).toBeGreaterThanOrEqual(900);
    await sleep(200);
    started.send('stats');
    const [, fdsAfter] = (await started.nextLine('stats')).split(' ');
    expect(Number(fdsAfter)).toBe(Number(fdsBefore));
  });

  it('keeps the memory of each open connection small', async () => {
    const started = await worker([], { nodeArgs: ['--expose-gc'] });
    started.send('stats');
    const [, , heapBefore] = (await started.nextLine('stats')).split(' ');
    const open = await silentConnections(500);
    try {
      await sleep(200);
      started.send('stats');
      const [, , heapWith] = (await started.nextLine('stats')).split(' ');
      const perConnection = (Number(heapWith) - Number(heapBefore)) / 500;
      console.log(`heap per open connection: ${(perConnection / 1024).toFixed(1)} KiB`);
      expect(perConnection).toBeLessThan(16 * 1024);
    } finally {
      for (const client of open) client.destroy();
    }
  });

  it('lets a person type a probe into socat: the default idle allowance is far above 2 s', async () => {
    await worker();
    const typed = await run('sh', ['-c', `(sleep 3; printf 'readiness\\n'; sleep 1) | socat - UNIX-CONNECT:${socket}`]);
    expect(JSON.parse(typed.stdout)).toMatchObject({ v: 1, probe: 'readiness', status: 'healthy' });
  });
});

const FLOOD = new URL('fixtures/silentFlood.js', import.meta.url).pathname;

/** Resolves when `child` prints a line starting with `prefix`. */
function printed(child: ReturnType<typeof spawn>, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const line = pending.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line === undefined) return;
      child.stdout?.off('data', onData);
      resolve(line);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${prefix}`)));
  });
}

describe('a flood of silent connections, re-opened continuously', () => {
  /**
   * Starts a worker with the HTTP port, and a flood of `count` silent connections on the socket
   * and as many on the HTTP port, each replaced at an age between `minMs` and `maxMs`; then real
   * probes over both must pass, while the flood goes on.
   */
  async function probesPassUnderFlood(options: {
    maxConnections: number;
    count: number;
    minMs: number;
    maxMs: number;
  }) {
    const { maxConnections, count, minMs, maxMs } = options;
    const started = await worker([{ name: 'db', behaviour: 'pass' }], {
      env: { HS_OPTIONS: JSON.stringify({ maxConnections, http: { port: 0, host: '127.0.0.1' } }) },
    });
    const { http } = JSON.parse((await started.nextLine('ports')).slice('ports '.length)) as { http: number };
    const flood = spawn(process.execPath, [FLOOD, String(count), String(minMs), String(maxMs), socket, String(http)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The flood's latest count of connections opened in all, as it prints it.
    let opened = 0;
    let pending = '';
    flood.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('opened ')) opened = Number(line.split(' ')[1]);
    });
    try {
      await printed(flood, 'full');
      const before = Number((await printed(flood, 'opened ')).split(' ')[1]);
      // Probe until the flood has re-opened more connections than it holds on a target at once, so
      // the probes ran while it replaced them, however quickly a probe finishes (the test's timeout
      // bounds the wait).
      for (let round = 0; round < 4 || opened <= before + count; round++) {
        for (const target of [socket, `http://127.0.0.1:${http}`]) {
          // A wide deadline: the flood costs CPU on a shared machine; being refused is what this is about.
          const probe = await runCli(['readiness', target, '-t', '5s']);
          expect(probe.code, probe.stderr).toBe(0);
        }
      }
      // The flood went on all along, re-opening its connections.
      expect(opened).toBeGreaterThan(before + count);
    } finally {
      flood.kill();
    }
  }

  it('cannot keep a real probe out by replacing each silent connection before it is a second old', async () => {
    // 150 connections against a cap of 100, none ever a second old: the old cap closed only a
    // connection silent for a second to make room, so it refused every real probe.
    await probesPassUnderFlood({ maxConnections: 100, count: 75, minMs: 300, maxMs: 900 });
  }, 40_000);

  it('answers real probes while 1000 silent connections on the socket and the HTTP port fill the default cap', async () => {
    // Replaced at 2-4 s old, about 330 new connections a second: a 2-core machine shared with other
    // work sustains that; the attack itself (connections never a second old) is the test above.
    await probesPassUnderFlood({ maxConnections: 1000, count: 500, minMs: 2000, maxMs: 4000 });
  }, 40_000);
});

describe('a worker that ends without close()', () => {
  it('leaves no socket file behind when Node exits because its only work never settles (exit code 13)', async () => {
    // The worker's main module awaits a promise that never settles, so Node ends it with 13.
    const script = [
      "import { createHealthServer } from '@healthsock/server';",
      `const health = createHealthServer({ socketPath: ${JSON.stringify(socket)} });`,
      'await health.listen();',
      "process.stdout.write(String(existsSync(health.socketPath)) + '\\n');",
      'await new Promise(() => {});',
    ].join('\n');
    const ended = await run(
      process.execPath,
      ['--input-type=module', '-e', `import { existsSync } from 'node:fs';\n${script}`],
      {
        cwd: new URL('.', import.meta.url).pathname,
      },
    );
    expect(ended.stdout).toBe('true\n');
    expect(ended.code).toBe(13);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('checks that misbehave', () => {
  it('fails liveness by timeout while a check blocks the event loop for 5 s, then recovers', async () => {
    const hogged = await worker([{ name: 'hog', behaviour: 'block', probes: ['readiness'] }]);
    const readiness = runCli(['readiness', '-s', socket, '-t', '10s']);
    await hogged.nextLine('blocking in hog');
    const liveness = await runCli(['liveness', '-s', socket, '-t', '500ms']);
    expect(liveness.code).toBe(1);
    expect(liveness.stderr).toMatch(/^timeout: no reply from /);
    expect((await readiness).code).toBe(0);
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);
  });

  it('runs a never-settling check at most once, however many probes arrive', async () => {
    const stuck = await worker([{ name: 'stuck', behaviour: 'never', timeoutMs: 200 }]);
    const first = await runCli(['readiness', '-s', socket]);
    expect(first.stderr).toMatch(/^unhealthy: readiness failed at .*: stuck: timed out after 200 ms/);
    const results = await Promise.all(Array.from({ length: 10 }, () => runCli(['readiness', '-s', socket])));
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/stuck: still running after it timed out \(started \d+ ms ago\)/);
    }
    stuck.send('runs stuck');
    expect(await stuck.nextLine('runs')).toBe('runs 1');
  });
});

describe('a hostile environment', () => {
  it('restores its socket file when something deletes it', async () => {
    await worker();
    rmSync(socket);
    await pollFor(
      () => existsSync(socket),
      (exists) => exists,
      { withinMs: 3000, everyMs: 20 },
    );
    expect((await runCli(['-s', socket])).code).toBe(0);
  });

  it('refuses a second worker on the same path, and the first keeps serving', async () => {
    await worker();
    const second = await worker();
    expect(second.status).toBe(
      `error ERR_SOCKET_IN_USE socket path ${socket} is in use: another server is listening on it`,
    );
    await expectStillServing();
  });

  it('names a missing parent directory', async () => {
    const missing = join(sandbox.dir, 'no', 'such', 'dir', 'health.sock');
    const failed = await worker([], {}, missing);
    expect(failed.status).toBe(
      `error ERR_SOCKET_DIRECTORY_MISSING cannot create socket ${missing}: directory ${join(sandbox.dir, 'no', 'such', 'dir')} does not exist`,
    );
  });

  it.skipIf(process.getuid?.() !== 0)('names the path when permission is denied', async () => {
    const locked = join(sandbox.dir, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(sandbox.dir, 0o755);
    const at = join(locked, 'health.sock');
    // nobody runs a copy: the clone may sit where nobody cannot read, e.g. in root's 0700 home.
    const runnable = copyWorkerForOthers(join(sandbox.dir, 'for-nobody'));
    const failed = await worker([], { uid: 65534, gid: 65534, ...runnable }, at);
    expect(failed.status).toBe(
      `error ERR_SOCKET_PERMISSION cannot create socket ${at}: permission denied in ${locked}`,
    );
  });

  it('refuses a symlink at the path, and leaves it alone', async () => {
    const target = join(sandbox.dir, 'target.txt');
    writeFileSync(target, 'kept');
    symlinkSync(target, socket);
    const refused = await worker();
    expect(refused.status).toMatch(/^error ERR_SOCKET_PATH_NOT_SOCKET .* is a symbolic link; refusing to replace it/);
    expect(readFileSync(socket, 'utf8')).toBe('kept');
  });
});

describe('the CLI under its runner', () => {
  it('exits 1 promptly on SIGTERM', async () => {
    const blocked = await worker();
    blocked.send('block 5000');
    await blocked.nextLine('blocking');
    const { command, args } = cliCommand(['-s', socket, '-t', '10s']);
    const cli = spawn(command, args, { env: childEnv() });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // SIGTERM is the CLI's own only once it has started; by the time it holds its connection to
    // the blocked worker, it has.
    await pollUntil(() => holdsSocket(cli.pid), { withinMs: 10_000, what: 'the CLI connecting' });
    const killedAt = performance.now();
    cli.kill('SIGTERM');
    const code = await new Promise((resolve) => cli.on('exit', resolve));
    expect(code).toBe(1);
    expect(performance.now() - killedAt).toBeLessThan(2000);
    expect(stderr).toMatch(/^timeout: healthsock was stopped by SIGTERM/);
  });
});

/** Whether process `pid` has a socket open beyond its standard streams (which a spawn makes sockets too). */
function holdsSocket(pid: number | undefined): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some(
      (fd) => Number(fd) > 2 && readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:'),
    );
  } catch {
    return false;
  }
}
