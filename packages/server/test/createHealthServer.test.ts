import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checks, createHealthServer, type HealthServer } from '../src/index.js';
import { EVICTABLE_AFTER_MS } from '../src/transports/net/ConnectionPool.js';
import { exchangeReply as exchange } from '../../../test/helpers/exchange.js';
import { freePort, listenOnFreePort } from '../../../test/helpers/ports.js';
import { pollFor, pollUntil, sleep } from '../../../test/helpers/time.js';

let dir: string;
let path: string;
const servers: HealthServer[] = [];

function track(server: HealthServer): HealthServer {
  servers.push(server);
  return server;
}

beforeEach(() => {
  dir = mkdtempSync('/tmp/hs-');
  path = join(dir, 'health.sock');
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Leaves a socket file behind with nobody listening, as a worker killed with SIGKILL would. */
async function leaveStaleSocket(at: string): Promise<void> {
  const aside = join(dir, 'aside.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(aside, resolve));
  renameSync(aside, at);
  await new Promise((resolve) => server.close(resolve));
}

describe('createHealthServer options', () => {
  it('validates before any I/O, naming the value', () => {
    expect(() => createHealthServer({ socketPath: `/tmp/${'x'.repeat(126)}` })).toThrow(
      expect.objectContaining({
        code: 'ERR_SOCKET_PATH_TOO_LONG',
        message: expect.stringMatching(/is 131 bytes; the limit is 107/),
      }),
    );
    expect(() => createHealthServer({ socketPath: '' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(() => createHealthServer({ socketPath: path, socketMode: 0o1777 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(() => createHealthServer({ socketPath: path, idleTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('defaults to $HEALTHSOCK_SOCKET, then /tmp/healthsock.sock', () => {
    const saved = process.env.HEALTHSOCK_SOCKET;
    try {
      process.env.HEALTHSOCK_SOCKET = '@from-env';
      expect(createHealthServer().socketPath).toBe('@from-env');
      delete process.env.HEALTHSOCK_SOCKET;
      expect(createHealthServer().socketPath).toBe('/tmp/healthsock.sock');
      // An empty variable means unset, as it does for the CLI.
      process.env.HEALTHSOCK_SOCKET = '';
      expect(createHealthServer().socketPath).toBe('/tmp/healthsock.sock');
    } finally {
      if (saved === undefined) delete process.env.HEALTHSOCK_SOCKET;
      else process.env.HEALTHSOCK_SOCKET = saved;
    }
  });
});

describe('listen and close', () => {
  it('answers on the socket and removes the file on close', async () => {
    const server = track(createHealthServer({ socketPath: path }).addCheck('db', () => 'rows'));
    await server.listen();
    const reply = JSON.parse(await exchange(path, 'readiness\n'));
    expect(reply).toMatchObject({
      v: 1,
      probe: 'readiness',
      status: 'healthy',
      checks: [{ name: 'db', status: 'healthy' }],
    });
    await server.close();
    expect(existsSync(path)).toBe(false);
    expect(readdir(dir)).toEqual([]);
  });

  it('creates the socket with mode 0600 by default, or the mode given', async () => {
    await track(createHealthServer({ socketPath: path })).listen();
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    const shared = join(dir, 'group.sock');
    await track(createHealthServer({ socketPath: shared, socketMode: 0o660 })).listen();
    expect(lstatSync(shared).mode & 0o777).toBe(0o660);
  });

  it('replaces a stale socket file that nobody answers on', async () => {
    await leaveStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    await track(createHealthServer({ socketPath: path })).listen();
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
  });

  it('lets only one of two servers starting over the same stale file take it', async () => {
    for (let round = 0; round < 20; round++) {
      await leaveStaleSocket(path);
      const contenders = [createHealthServer({ socketPath: path }), createHealthServer({ socketPath: path })];
      const outcomes = await Promise.allSettled(contenders.map((server) => server.listen()));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      await Promise.all(contenders.map((server) => server.close()));
      rmSync(path, { force: true });
    }
  });

  it('refuses a path where a live server answers, and leaves that server alone', async () => {
    const first = track(createHealthServer({ socketPath: path }));
    await first.listen();
    await expect(track(createHealthServer({ socketPath: path })).listen()).rejects.toMatchObject({
      code: 'ERR_SOCKET_IN_USE',
      message: expect.stringContaining(path),
    });
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
  });

  it.each([
    ['a regular file', (at: string) => writeFileSync(at, 'precious'), 'a regular file'],
    ['a directory', (at: string) => mkdirSync(at), 'a directory'],
    ['a symlink', (at: string) => symlinkSync('/tmp', at), 'a symbolic link'],
  ])('refuses to replace %s, and leaves it intact', async (_, make, kind) => {
    make(path);
    const before = lstatSync(path);
    await expect(track(createHealthServer({ socketPath: path })).listen()).rejects.toMatchObject({
      code: 'ERR_SOCKET_PATH_NOT_SOCKET',
      message: expect.stringContaining(`${path} is ${kind}`),
    });
    expect(lstatSync(path).ino).toBe(before.ino);
    if (before.isFile()) expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdir(dir)).toEqual(['health.sock']);
  });

  it('names the missing directory', async () => {
    const missing = join(dir, 'nope', 'health.sock');
    await expect(track(createHealthServer({ socketPath: missing })).listen()).rejects.toMatchObject({
      code: 'ERR_SOCKET_DIRECTORY_MISSING',
      message: expect.stringContaining(join(dir, 'nope')),
    });
  });

  it.skipIf(process.getuid?.() === 0)('names the directory it may not write to', async () => {
    chmodSync(dir, 0o500);
    try {
      await expect(track(createHealthServer({ socketPath: path })).listen()).rejects.toMatchObject({
        code: 'ERR_SOCKET_PERMISSION',
      });
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('does not remove a file at its path that another process put there', async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    rmSync(path);
    writeFileSync(path, 'not yours');
    await server.close();
    expect(readFileSync(path, 'utf8')).toBe('not yours');
  });

  it('refuses a second listen while listening, and can listen again after close', async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    await expect(server.listen()).rejects.toMatchObject({ code: 'ERR_ALREADY_LISTENING' });
    await server.close();
    await server.listen();
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
  });

  it("serves HTTP on the socket with the HTTP port's limits: a 6000-byte request line is answered, a 9000-byte one gets 431", async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    const get = (target: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.get({ socketPath: path, path: target, agent: false }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
    expect(await get(`/livez?pad=${'a'.repeat(6000)}`)).toBe(200);
    expect(await get(`/livez?pad=${'a'.repeat(9000)}`)).toBe(431);
  });

  it('listens again when listen() follows close() in the same tick, as net.Server allows', async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    void server.close();
    await server.listen();
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
  });

  it('resolves every close() only when the cleanup has finished, a second one during the first too', async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    const first = server.close();
    const second = server.close();
    await second;
    expect(existsSync(path)).toBe(false);
    await first;
    await server.listen();
    const closing = server.close();
    await server.shutdown();
    expect(existsSync(path)).toBe(false);
    await closing;
  });

  it('listens on an abstract socket without creating a file', async () => {
    const name = `@healthsock-test-${process.pid}-${Date.now()}`;
    const server = track(createHealthServer({ socketPath: name }));
    await server.listen();
    expect(JSON.parse(await exchange(`\0${name.slice(1)}`, 'liveness\n')).status).toBe('healthy');
    await expect(track(createHealthServer({ socketPath: name })).listen()).rejects.toMatchObject({
      code: 'ERR_SOCKET_IN_USE',
    });
  });

  it('passes the client deadline, less a margin, to the checks', async () => {
    const server = track(
      createHealthServer({ socketPath: path }).addCheck('slow', () => new Promise(() => {}), { timeoutMs: 10_000 }),
    );
    await server.listen();
    const reply = JSON.parse(await exchange(path, '{"probe":"readiness","timeoutMs":200}\n'));
    expect(reply.checks[0]).toMatchObject({ name: 'slow', status: 'unhealthy', message: 'timed out after 150 ms' });
  });
});

function readdir(at: string): string[] {
  return readdirSync(at).sort();
}

describe('shutdown', () => {
  it('fails readiness at once, keeps liveness through the drain, then closes', async () => {
    const server = track(createHealthServer({ socketPath: path, drainDelayMs: 300 }).addCheck('db', () => 'ok'));
    await server.listen();
    const closed = server.shutdown();
    expect(server.shutdown()).toBe(closed);
    expect(JSON.parse(await exchange(path, 'readiness\n'))).toMatchObject({
      status: 'unhealthy',
      message: 'shutting down',
    });
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
    expect(existsSync(path)).toBe(true);
    await closed;
    expect(existsSync(path)).toBe(false);
  });

  it('starts on an opted-in signal, calls onShutdown after closing, and removes its listener', async () => {
    const before = process.listenerCount('SIGUSR2');
    let resolveShutdown: (signal: string) => void = () => {};
    const shutdown = new Promise<string>((resolve) => (resolveShutdown = resolve));
    const server = track(
      createHealthServer({
        socketPath: path,
        shutdownSignals: ['SIGUSR2'],
        onShutdown: (signal) => resolveShutdown(signal),
      }),
    );
    await server.listen();
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await shutdown).toBe('SIGUSR2');
    expect(existsSync(path)).toBe(false);
    await vi.waitFor(() => expect(process.listenerCount('SIGUSR2')).toBe(before));
  });

  it('turns a failing onShutdown into a warning, not an unhandled rejection', async () => {
    const server = track(
      createHealthServer({
        socketPath: path,
        shutdownSignals: ['SIGUSR2'],
        onShutdown: () => Promise.reject(new Error('consumer would not stop')),
      }),
    );
    await server.listen();
    // Caught here rather than printed: the test output must carry no warning it did not expect.
    const warned = new Promise<unknown>((resolve) =>
      vi.spyOn(process, 'emitWarning').mockImplementation((warning) => resolve(warning)),
    );
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await warned).toMatchObject({
      code: 'ERR_SHUTDOWN_FAILED',
      message: 'healthsock: shutdown on SIGUSR2 failed: consumer would not stop',
    });
  });

  it('ignores a repeated signal during the drain: the drain runs its course and onShutdown runs once', async () => {
    const before = process.listenerCount('SIGUSR2');
    const onShutdown = vi.fn();
    const server = track(
      createHealthServer({ socketPath: path, drainDelayMs: 300, shutdownSignals: ['SIGUSR2'], onShutdown }),
    );
    await server.listen();
    process.emit('SIGUSR2', 'SIGUSR2');
    // Still listening, so that a second SIGUSR2 (or SIGTERM) does not fall to Node's default and kill the worker.
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    await sleep(100);
    expect(existsSync(path)).toBe(true);
    expect(onShutdown).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(onShutdown).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(existsSync(path)).toBe(false);
    // Once onShutdown has settled, the process is the worker's again, Node's defaults included.
    await vi.waitFor(() => expect(process.listenerCount('SIGUSR2')).toBe(before));
    expect(onShutdown).toHaveBeenCalledTimes(1);
  });

  it('listens for every signal a process can catch, and for none after close', async () => {
    const refused = ['SIGKILL', 'SIGSTOP', 'SIGPIPE', 'SIGXFSZ'];
    const catchable = Object.keys(constants.signals).filter((name) => !refused.includes(name));
    const before = catchable.map((signal) => process.listenerCount(signal));
    const server = createHealthServer({ socketPath: path, shutdownSignals: catchable as NodeJS.Signals[] });
    await server.listen();
    expect(catchable.map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
    await server.close();
    expect(catchable.map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it('installs no signal listener unless asked', async () => {
    const before = ['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal));
    await track(createHealthServer({ socketPath: path })).listen();
    expect(['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it.each([
    ['a negative drain delay', { drainDelayMs: -1 }, /drainDelayMs is -1/],
    ['a signal without SIG', { shutdownSignals: ['TERM'] }, /"TERM" is not a signal name/],
    ['a typo', { shutdownSignals: ['SIGTREM'] }, /"SIGTREM" is not a signal name/],
    ['SIGKILL', { shutdownSignals: ['SIGKILL'] }, /SIGKILL cannot be caught/],
    ['SIGSTOP', { shutdownSignals: ['SIGTERM', 'SIGSTOP'] }, /SIGSTOP cannot be caught/],
    ['SIGPIPE (Node ignores it)', { shutdownSignals: ['SIGPIPE'] }, /SIGPIPE is ignored by Node/],
    ['a single name', { shutdownSignals: 'SIGTERM' }, /must be a list of signal names/],
    ['a number', { shutdownSignals: [15] }, /15 is not a signal name/],
    ['an onShutdown that is not a function', { onShutdown: 'stop' }, /onShutdown must be a function, got "stop"/],
    ['a grpc option that is not an object', { grpc: 50051 }, /grpc must be an object, got 50051/],
    ['a grpc port out of range', { grpc: { port: 70000 } }, /grpc.port is 70000; it must be a port/],
    ['an empty grpc host', { grpc: { port: 1, host: ' ' } }, /grpc.host must be a host name or address/],
    ['a grpc details that is not a flag', { grpc: { port: 1, details: 'yes' } }, /grpc.details must be true or false/],
    ['a grpc interval under 100 ms', { grpc: { port: 1, intervalMs: 10 } }, /grpc.intervalMs is 10/],
    ['the HTTP port again for gRPC', { http: { port: 9000 }, grpc: { port: 9000 } }, /port 9000 is configured twice/],
  ])('refuses %s with ERR_INVALID_OPTION, before any I/O', (_, options, message) => {
    expect(() => createHealthServer({ socketPath: path, ...(options as object) })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) }),
    );
    expect(readdir(dir)).toEqual([]);
  });
});

describe('connection cap', () => {
  it('closes the oldest connection without a request to make room for a real probe', async () => {
    const server = track(createHealthServer({ socketPath: path, maxConnections: 2 }));
    await server.listen();
    const replies: string[] = [];
    const idle = [net.connect(path), net.connect(path)];
    for (const socket of idle) socket.on('data', (chunk) => replies.push(chunk.toString()));
    const firstClosed = new Promise((resolve) => idle[0]?.once('close', resolve));
    await Promise.all(idle.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    // A real probe sends its request at once: a connection silent for a few ms is no probe on its way.
    await sleep(EVICTABLE_AFTER_MS + 20);
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
    await firstClosed;
    expect(JSON.parse(replies[0] ?? '')).toMatchObject({ error: { code: 'ERR_OVERLOADED', message: /to make room/ } });
    for (const socket of idle) socket.destroy();
  });

  it('refuses a newcomer with ERR_OVERLOADED while every open connection awaits its answer', async () => {
    const server = track(createHealthServer({ socketPath: path, maxConnections: 2 }));
    let started = 0;
    server.addCheck('slow', () => ++started && sleep(1500), {
      probes: ['readiness'],
    });
    await server.listen();
    const waiting = [exchange(path, 'readiness\n'), exchange(path, 'readiness\n')];
    // Both requests must have been read: the check has started, and the second joins its run.
    await pollUntil(() => started > 0, { everyMs: 5 });
    await sleep(300);
    const reply = JSON.parse(await exchange(path, 'liveness\n'));
    expect(reply.error).toEqual({ code: 'ERR_OVERLOADED', message: 'more than 2 open connections' });
    for (const answer of await Promise.all(waiting)) expect(JSON.parse(answer).status).toBe('healthy');
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
  });
});

/** Waits until `path` exists, for at most 3 s. */
async function reappears(at: string): Promise<boolean> {
  return pollFor(
    () => existsSync(at),
    (exists) => exists,
    { withinMs: 3000 },
  );
}

describe('a deleted socket file', () => {
  it('is bound again each time it is deleted, even while old connections stay open', async () => {
    const server = track(createHealthServer({ socketPath: path }));
    await server.listen();
    const idle = net.connect(path);
    await new Promise((resolve) => idle.once('connect', resolve));
    for (let round = 0; round < 3; round++) {
      rmSync(path);
      expect(await reappears(path)).toBe(true);
    }
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
    idle.destroy();
  });

  it('is bound again at the same path, with the same mode', async () => {
    const server = track(createHealthServer({ socketPath: path, socketMode: 0o640 }));
    await server.listen();
    rmSync(path);
    expect(await reappears(path)).toBe(true);
    expect(lstatSync(path).mode & 0o777).toBe(0o640);
    expect(JSON.parse(await exchange(path, 'liveness\n')).status).toBe('healthy');
    await server.close();
    expect(readdir(dir)).toEqual([]);
  });
});

describe('built-in checks that hold a resource', () => {
  it('start when added, stop on close(), and start again on the next listen()', async () => {
    const loop = checks.eventLoopDelay();
    expect(loop.measuring).toBe(false);
    const health = track(createHealthServer({ socketPath: path }));
    health.addCheck('event-loop', loop, { probes: ['liveness'] });
    expect(loop.measuring).toBe(true);
    await health.listen();
    expect((await health.probe('liveness')).status).toBe('healthy');
    await health.close();
    expect(loop.measuring).toBe(false);
    await health.listen();
    expect(loop.measuring).toBe(true);
    await health.close();
    expect(loop.measuring).toBe(false);
  });

  it('stop on close() of a server that never listened', async () => {
    const loop = checks.eventLoopDelay();
    const health = createHealthServer({ socketPath: path }).addCheck('event-loop', loop);
    expect(loop.measuring).toBe(true);
    await health.close();
    expect(loop.measuring).toBe(false);
  });
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('every transport from one registry', () => {
  it('validates the transports before any I/O, naming the value', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['a port above 65535', { http: { port: 70000 } }, /http\.port is 70000/],
      ['a negative port', { tcp: [{ port: -1 }] }, /tcp\[0\]\.port is -1/],
      ['a port that is not a number', { http: { port: '9000' } }, /http\.port is "9000"/],
      [
        'a path without a leading slash',
        { http: { port: 0, paths: { readiness: ['ready'] } } },
        /"ready"; a path starts with "\/"/,
      ],
      [
        'one path for two probes',
        { http: { port: 0, paths: { readiness: ['/x'], liveness: ['/x'] } } },
        /http path \/x is given to both liveness and readiness/,
      ],
      ['an unknown probe in paths', { http: { port: 0, paths: { ready: ['/x'] } } }, /unknown probe "ready"/],
      ['an interval below 100 ms', { tcp: { port: 0, intervalMs: 50 } }, /tcp\[0\]\.intervalMs is 50/],
      [
        'a heartbeat interval below 100 ms',
        { heartbeat: { path: '/tmp/x', intervalMs: 99 } },
        /heartbeat\.intervalMs is 99/,
      ],
      [
        'a relative heartbeat path',
        { heartbeat: { path: 'healthy' } },
        /heartbeat\.path must be an absolute file path/,
      ],
      ['an unknown gate probe', { tcp: { port: 0, probe: 'ready' } }, /tcp\[0\]\.probe is "ready"/],
      ['the same port twice', { http: { port: 9000 }, tcp: { port: 9000 } }, /port 9000 is configured twice/],
      ['details that is not a boolean', { http: { port: 0, details: 'yes' } }, /http\.details must be true or false/],
      ['metrics that is not a boolean', { http: { port: 0, metrics: 1 } }, /http\.metrics must be true or false/],
      [
        'metrics on a path given to a probe',
        { http: { port: 0, metrics: true, paths: { readiness: ['/metrics'] } } },
        /http path \/metrics is given to readiness and to metrics: true/,
      ],
    ];
    for (const [, options, message] of bad) {
      expect(() => createHealthServer({ socketPath: path, ...options })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) }),
      );
    }
    expect(existsSync(path)).toBe(false);
  });

  it('leaves nothing running when a transport fails half-way: no socket file, no open port', async () => {
    const httpPort = await freePort();
    const squatter = net.createServer();
    const taken = await listenOnFreePort(squatter);
    try {
      const server = track(
        createHealthServer({
          socketPath: path,
          http: { port: httpPort, host: '127.0.0.1' },
          tcp: { port: taken, host: '127.0.0.1' },
        }),
      );
      await expect(server.listen()).rejects.toMatchObject({
        code: 'ERR_PORT_IN_USE',
        message: `TCP gate port 127.0.0.1:${taken} is in use: another process is listening on it`,
      });
      expect(existsSync(path)).toBe(false);
      expect(await connects(httpPort)).toBe(false);
      // The first transport failing leaves nothing either.
      const first = track(createHealthServer({ socketPath: path, http: { port: taken, host: '127.0.0.1' } }));
      await expect(first.listen()).rejects.toMatchObject({ code: 'ERR_PORT_IN_USE' });
      expect(existsSync(path)).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('stops every transport on close()', async () => {
    const heartbeat = join(dir, 'healthy');
    const server = track(
      createHealthServer({
        socketPath: path,
        http: { port: 0, host: '127.0.0.1' },
        tcp: { port: 0, host: '127.0.0.1' },
        heartbeat: { path: heartbeat },
      }),
    );
    await server.listen();
    const { http, tcp } = server.ports;
    expect(await connects(http ?? 0)).toBe(true);
    expect(await connects(tcp[0] ?? 0)).toBe(true);
    expect(existsSync(heartbeat)).toBe(true);
    await server.close();
    expect(await connects(http ?? 0)).toBe(false);
    expect(await connects(tcp[0] ?? 0)).toBe(false);
    expect(existsSync(heartbeat)).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it('serves HTTP alone with socketPath: false', async () => {
    const server = track(createHealthServer({ socketPath: false, http: { port: 0, host: '127.0.0.1' } }));
    await server.listen();
    expect(server.socketPath).toBe('');
    const reply = await new Promise<string>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${server.ports.http}/livez`, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        })
        .on('error', reject);
    });
    expect(reply).toBe('200 ok\n');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('httpHandler answers the health paths on the application’s own node:http server and leaves the rest', async () => {
    const health = createHealthServer({ socketPath: false });
    health.addCheck('db', () => {
      throw new Error('db is down');
    });
    const app = http.createServer((req, res) => {
      if (health.httpHandler(req, res)) return;
      res.end('the application\n');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${(app.address() as net.AddressInfo).port}${path}`, (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve(`${res.statusCode} ${res.headers['cache-control']} ${body}`));
          })
          .on('error', reject);
      });
    try {
      expect(await get('/livez')).toBe('200 no-store ok\n');
      expect(await get('/readyz')).toBe('503 no-store [-]db failed: db is down\nreadiness check failed\n');
      expect(await get('/metrics')).toBe('200 undefined the application\n');
    } finally {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});

describe('change events and the logger', () => {
  it('fire once per transition, whether the socket or probe() asked, and a throwing listener breaks nothing', async () => {
    let up = true;
    const changes: string[] = [];
    const errors: string[] = [];
    const logger = { info: vi.fn(), warn: vi.fn() };
    const health = track(createHealthServer({ socketPath: path, logger }))
      .addCheck('broker', () => {
        if (!up) throw new Error('broker down');
      })
      .on('change', ({ probe, from, to }) => changes.push(`${probe} ${from} -> ${to}`))
      .on('change', () => {
        throw new Error('listener bug');
      })
      .on('error', (error) => errors.push(error.code));
    await health.listen();
    expect(await exchange(path, 'readiness\n')).toMatch(/"status":"healthy"/);
    up = false;
    // Five concurrent asks over the socket see the same transition: it is announced once.
    const replies = await Promise.all(Array.from({ length: 5 }, () => exchange(path, 'readiness\n')));
    for (const reply of replies) expect(reply).toMatch(/"status":"unhealthy".*broker down/);
    expect((await health.probe('readiness')).status).toBe('unhealthy');
    up = true;
    expect((await health.probe('readiness')).status).toBe('healthy');
    expect(changes).toEqual(['readiness healthy -> unhealthy', 'readiness unhealthy -> healthy']);
    expect(errors).toEqual(['ERR_LISTENER_FAILED', 'ERR_LISTENER_FAILED']);
    expect(logger.warn).toHaveBeenCalledWith('healthsock: readiness healthy -> unhealthy: broker: broker down');
    expect(logger.info).toHaveBeenCalledWith('healthsock: readiness unhealthy -> healthy');
  });

  it('validate the logger and the listeners', () => {
    expect(() => createHealthServer({ socketPath: path, logger: { warn: () => undefined } as never })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/^logger must have warn and info/),
      }),
    );
    expect(() => createHealthServer({ socketPath: path }).on('change', 42 as never)).toThrow(
      /listener must be a function/,
    );
  });

  it('reach a console-like logger whose methods need their object', async () => {
    const lines: string[] = [];
    const logger = {
      lines,
      info(message: string) {
        this.lines.push(`info ${message}`);
      },
      warn(message: string) {
        this.lines.push(`warn ${message}`);
      },
    };
    let up = true;
    const health = createHealthServer({ socketPath: path, logger }).addCheck(
      'db',
      () => (up ? undefined : { status: 'degraded', message: 'slow' }),
      { probes: ['liveness'] },
    );
    await health.probe('liveness');
    up = false;
    await health.probe('liveness');
    expect(lines).toEqual(['warn healthsock: liveness healthy -> degraded: db: slow']);
  });
});

describe("change events and faults from the TCP gate's monitor", () => {
  it('announce a change nobody asked about, once, and report a port taken meanwhile as an error', async () => {
    const port = await freePort();
    let up = true;
    const changes: string[] = [];
    const errors: { code: string; message: string }[] = [];
    const health = track(
      createHealthServer({
        socketPath: path,
        tcp: [{ port, host: '127.0.0.1', probe: 'readiness', intervalMs: 100 }],
      }),
    )
      .addCheck('broker', () => {
        if (!up) throw new Error('broker down');
      })
      .on('change', ({ probe, from, to }) => changes.push(`${probe} ${from} -> ${to}`))
      .on('error', ({ code, message }) => errors.push({ code, message }));
    await health.listen();
    const waitUntil = async (done: () => boolean) => {
      const started = Date.now();
      while (!done()) {
        if (Date.now() - started > 5000) throw new Error(`gave up; changes ${changes.join(', ')}`);
        await sleep(20);
      }
    };
    up = false;
    await waitUntil(() => changes.length === 1);
    // The gate closed its port; something else takes it before the probe passes again.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      up = true;
      await waitUntil(() => changes.length === 2 && errors.length > 0);
      await sleep(350); // a few more intervals: no repeats
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    expect(changes).toEqual(['readiness healthy -> unhealthy', 'readiness unhealthy -> healthy']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(new RegExp(`${port}.*retrying every 100 ms`));
  });
});

describe('metrics', () => {
  /** The sample lines of /metrics. */
  async function scrape(server: HealthServer): Promise<string[]> {
    const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
    return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  }

  it('records probe() calls made before listen(), while the metrics code is still loading', async () => {
    const server = track(
      createHealthServer({ socketPath: false, http: { port: 0, host: '127.0.0.1', metrics: true } }),
    );
    server.addCheck('db', () => undefined);
    // Neither awaited: the first evaluation can end before the metrics code has arrived.
    const first = server.probe('readiness');
    const second = server.probe('readiness');
    await Promise.all([first, second]);
    await server.listen();
    expect(await scrape(server)).toContain('healthsock_probe_evaluations_total{probe="readiness",result="healthy"} 2');
  });

  it('after startup passed, and while draining, keeps the checks of the last run and counts the probe', async () => {
    let up = false;
    const server = track(
      createHealthServer({
        socketPath: false,
        drainDelayMs: 60_000,
        http: { port: 0, host: '127.0.0.1', metrics: true },
      }),
    );
    server.addCheck('db', () => {
      if (!up) throw new Error('not yet');
    });
    await server.listen();
    await server.probe('startup');
    up = true;
    await server.probe('startup');
    await server.probe('startup');
    await server.probe('readiness');
    void server.shutdown();
    await server.probe('readiness');
    const lines = await scrape(server);
    expect(lines).toEqual(
      expect.arrayContaining([
        // The latch answered the third startup probe: the check's series is its second run's.
        'healthsock_check_status{probe="startup",check="db"} 1',
        'healthsock_probe_evaluations_total{probe="startup",result="healthy"} 2',
        'healthsock_probe_evaluations_total{probe="startup",result="unhealthy"} 1',
        // Draining fails readiness without running the check, which keeps its last result.
        'healthsock_probe_status{probe="readiness"} 0',
        'healthsock_check_status{probe="readiness",check="db"} 1',
        'healthsock_probe_evaluations_total{probe="readiness",result="unhealthy"} 1',
      ]),
    );
  });
});
