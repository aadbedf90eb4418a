// The gRPC transport: grpc.health.v1.Health over h2c, answered for real clients (grpc-js with
// grpc-health-check's definition, Python's grpcio, curl) and for the requests no client should
// send, on real ports, with the worker in a process of its own where descriptors are counted.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import {
  askWithPython,
  checkRequest,
  framed,
  GRPC_HEADERS,
  healthClient,
  listReply,
  pythonAnswers,
  rawCall,
  type HealthClient,
} from './helpers/grpc.js';
import { podIp } from './helpers/kubelet.js';
import { run, type CheckSpec } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { listenOnFreePort } from './helpers/ports.js';
import { sleep } from './helpers/time.js';

const sandbox = useSandbox();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CHECK = '/grpc.health.v1.Health/Check';

/** A worker process with the gRPC transport on a free port of `host`; its port and a client. */
async function grpcWorker(
  checks: CheckSpec[],
  grpc: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
) {
  const worker = await sandbox.worker(sandbox.socket, checks, {
    env: { HS_OPTIONS: JSON.stringify({ ...options, grpc: { port: 0, host: '127.0.0.1', ...grpc } }) },
  });
  expect(worker.status).toBe('listening');
  const ports = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)) as { grpc: number };
  const client = healthClient(`127.0.0.1:${ports.grpc}`);
  cleanups.push(() => client.close());
  const fds = async () => {
    worker.send('stats');
    return Number((await worker.nextLine('stats')).split(' ')[1]);
  };
  return { worker, port: ports.grpc, client, fds };
}

/** A server in this process, for what only its events show. */
async function inProcess(
  options: Parameters<typeof createHealthServer>[0] = {},
): Promise<{ health: HealthServer; client: HealthClient }> {
  const health = createHealthServer({
    socketPath: false,
    grpc: { port: 0, host: '127.0.0.1', intervalMs: 100 },
    ...options,
  });
  cleanups.push(() => health.close());
  return {
    health,
    get client() {
      const client = healthClient(`127.0.0.1:${health.ports.grpc}`);
      cleanups.push(() => client.close());
      return client;
    },
  };
}

describe('Check, List and Watch, for grpc-js with grpc-health-check’s definition', () => {
  it('answers each service: the empty service is liveness, the probes, one check, and NOT_FOUND for anything else', async () => {
    const { client } = await grpcWorker([
      { name: 'db', probes: ['readiness'], behaviour: 'fail' },
      { name: 'cache', probes: ['readiness'], behaviour: 'degraded' },
    ]);
    expect(await client.check('')).toEqual({ status: 'SERVING' });
    expect(await client.check('liveness')).toEqual({ status: 'SERVING' });
    expect(await client.check('startup')).toEqual({ status: 'SERVING' });
    expect(await client.check('readiness')).toEqual({ status: 'NOT_SERVING' });
    expect(await client.check('readiness/db')).toEqual({ status: 'NOT_SERVING' });
    // Degraded passes.
    expect(await client.check('readiness/cache')).toEqual({ status: 'SERVING' });
    for (const unknown of ['readiness/nope', 'liveness/db', 'nope', 'grpc.health.v1.Health']) {
      expect(await client.check(unknown)).toMatchObject({
        code: 5,
        details: expect.stringContaining('unknown service'),
      });
    }
  });

  it('List returns the three probes', async () => {
    const { client } = await grpcWorker([{ name: 'db', probes: ['readiness'], behaviour: 'fail' }]);
    expect(await client.list()).toEqual(
      listReply({ liveness: 'SERVING', readiness: 'NOT_SERVING', startup: 'SERVING' }),
    );
  });

  it('Watch sends the status at once and sees readiness change within one change event, with no other caller', async () => {
    let up = true;
    const server = await inProcess();
    server.health.addCheck('db', () => {
      if (!up) throw new Error('db is down');
    });
    const changes: string[] = [];
    server.health.on('change', (event) => changes.push(`${event.probe} ${event.to}`));
    await server.health.listen();
    const watch = server.client.watch('readiness');
    expect(await watch.next(1)).toEqual(['SERVING']);
    up = false;
    expect(await watch.next(2)).toEqual(['SERVING', 'NOT_SERVING']);
    // The watch saw the first change event there was: the one its own monitor's evaluation caused.
    expect(changes).toEqual(['readiness unhealthy']);
    up = true;
    expect(await watch.next(3)).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);
    expect(changes).toEqual(['readiness unhealthy', 'readiness healthy']);
    watch.cancel();
  });

  it('Watch of an unknown service sends SERVICE_UNKNOWN and stays open; close() ends every stream with UNAVAILABLE', async () => {
    const server = await inProcess();
    await server.health.listen();
    const unknown = server.client.watch('nope');
    const known = server.client.watch('readiness/nothing-yet');
    const liveness = server.client.watch('');
    expect(await unknown.next(1)).toEqual(['SERVICE_UNKNOWN']);
    expect(await known.next(1)).toEqual(['SERVICE_UNKNOWN']);
    expect(await liveness.next(1)).toEqual(['SERVING']);
    const stillOpen = await Promise.race([
      unknown.ended,
      new Promise((resolve) => setTimeout(() => resolve('open'), 300)),
    ]);
    expect(stillOpen).toBe('open');
    await server.health.close();
    for (const watch of [unknown, known, liveness]) expect((await watch.ended).code).toBe(14);
  });

  it('an open Watch keeps its probe evaluated; once none is open, nothing evaluates it', async () => {
    let runs = 0;
    const server = await inProcess();
    server.health.addCheck('db', () => void runs++);
    await server.health.listen();
    const watch = server.client.watch('readiness');
    await watch.next(1);
    await sleep(600);
    // Every 100 ms, with room for a loaded machine.
    expect(runs).toBeGreaterThanOrEqual(3);
    watch.cancel();
    await watch.ended;
    await sleep(300);
    const after = runs;
    await sleep(600);
    expect(runs).toBe(after);
  });

  it('takes the probe’s deadline from grpc-timeout: a hanging check fails within the call’s deadline', async () => {
    const { client, port } = await grpcWorker([
      { name: 'slow', probes: ['readiness'], timeoutMs: 30_000, behaviour: 'hang' },
    ]);
    expect(await client.check('readiness', 1500)).toEqual({ status: 'NOT_SERVING' });
    const answer = await rawCall(
      port,
      { ':path': CHECK, ...GRPC_HEADERS, 'grpc-timeout': '400m' },
      framed(checkRequest('readiness')),
    );
    expect(answer.grpcStatus).toBe(0);
    expect(answer.grpcMessage).toMatch(/^readiness failed: slow: .*(timed out|timeout|within)/i);
    // HealthCheckResponse { status: NOT_SERVING }
    expect([...answer.data]).toEqual([0, 0, 0, 0, 2, 0x08, 2]);
  });
});

describe('the same rules as HTTP', () => {
  it('withholds check messages from clients beyond loopback unless details is true', async () => {
    const host = podIp();
    const ask = async (details: boolean) => {
      const worker = await sandbox.worker(
        `${sandbox.socket}${details ? '2' : '1'}`,
        [{ name: 'db', probes: ['readiness'], behaviour: 'fail' }],
        {
          env: { HS_OPTIONS: JSON.stringify({ grpc: { port: 0, details } }) },
        },
      );
      const { grpc: port } = JSON.parse((await worker.nextLine('ports')).slice(6)) as { grpc: number };
      const remote = await rawCall(port, { ':path': CHECK, ...GRPC_HEADERS }, framed(checkRequest('readiness')), host);
      const local = await rawCall(port, { ':path': CHECK, ...GRPC_HEADERS }, framed(checkRequest('readiness')));
      return { remote: remote.grpcMessage, local: local.grpcMessage };
    };
    expect(await ask(false)).toEqual({
      remote: 'readiness failed: db: reason withheld',
      local: 'readiness failed: db: db is down',
    });
    expect(await ask(true)).toEqual({
      remote: 'readiness failed: db: db is down',
      local: 'readiness failed: db: db is down',
    });
  });

  it('shares the connection cap: silent connections are closed to make room, with a GOAWAY that says why', async () => {
    const { port, client } = await grpcWorker([], {}, { maxConnections: 5 });
    const silent = await Promise.all(Array.from({ length: 5 }, () => connect(port)));
    const goodbyes: Buffer[] = [];
    for (const socket of silent) socket.on('data', (chunk: Buffer) => goodbyes.push(chunk));
    cleanups.push(() => silent.forEach((socket) => socket.destroy()));
    await sleep(1200);
    expect(await client.check('readiness')).toEqual({ status: 'SERVING' });
    expect(Buffer.concat(goodbyes).toString('latin1')).toContain('closed to make room');
  });

  it('refuses a connection over the cap with a GOAWAY when every connection is busy with a call', async () => {
    const { port } = await grpcWorker([], {}, { maxConnections: 2 });
    const watchers = [1, 2].map(() => {
      // A channel of its own, so that each watch holds a connection.
      const client = healthClient(`127.0.0.1:${port}`, { 'grpc.use_local_subchannel_pool': 1 });
      cleanups.push(() => client.close());
      return client.watch('liveness');
    });
    await Promise.all(watchers.map((watch) => watch.next(1)));
    const result = await run(process.execPath, [CLI_BIN_PATH, 'readiness', `grpc://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^bad-reply: grpc:\/\/127\.0\.0\.1:\d+\/readiness closed the connection before answering \(GOAWAY ENHANCE_YOUR_CALM: healthsock: overloaded: 2 connections are open\)/,
    );
  });

  it('closes a connection that holds no call for idleTimeoutMs with a GOAWAY, as it does one that never sends one', async () => {
    const server = await inProcess({ idleTimeoutMs: 300 });
    await server.health.listen();
    const session = http2.connect(`http://127.0.0.1:${server.health.ports.grpc}`);
    session.on('error', () => undefined);
    const goaway = new Promise<number>((resolve) => session.once('goaway', (code: number) => resolve(code)));
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    const stream = session.request({ ':method': 'POST', ':path': CHECK, ...GRPC_HEADERS });
    stream.end(framed(checkRequest('liveness')));
    stream.resume();
    await new Promise((resolve) => stream.once('close', resolve));
    const started = performance.now();
    expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
    await closed;
    // Wide bounds: after the call, not at once, and not never. The server's 300 ms count from its
    // stream's close, which this process sees a little later.
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('never keeps the process alive, even while a Watch keeps its probe evaluated', async () => {
    const script = `
      import { createHealthServer } from '@healthsock/server';
      const health = createHealthServer({ socketPath: false, grpc: { port: 0, host: '127.0.0.1', intervalMs: 100 } });
      let runs = 0;
      health.addCheck('db', () => void runs++);
      await health.listen();
      process.stdout.write(health.ports.grpc + '\\n');
      // The worker's own work: it ends once the Watch's monitor has evaluated readiness a few times.
      const work = setInterval(() => runs >= 3 && clearInterval(work), 50);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('.', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(() => child.kill('SIGKILL'));
    const port = await new Promise<number>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
    );
    const client = healthClient(`127.0.0.1:${port}`);
    cleanups.push(() => client.close());
    const watch = client.watch('readiness');
    expect(await exited).toBe(0);
    expect(watch.messages).toEqual(['SERVING']);
    expect((await watch.ended).code).toBe(14);
  });

  it('listen() is all or nothing: a gRPC port in use fails it and leaves no socket behind', async () => {
    const taken = net.createServer();
    const port = await listenOnFreePort(taken);
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const worker = await sandbox.worker(sandbox.socket, [], {
      env: { HS_OPTIONS: JSON.stringify({ grpc: { port, host: '127.0.0.1' } }) },
    });
    expect(worker.status).toBe(
      `error ERR_PORT_IN_USE gRPC port 127.0.0.1:${port} is in use: another process is listening on it`,
    );
    expect(existsSync(sandbox.socket)).toBe(false);
  });

  it('a worker with open Watch streams ends them at close() and its process exits', async () => {
    const { worker, client } = await grpcWorker([]);
    const watch = client.watch('readiness');
    await watch.next(1);
    worker.send('exit');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect((await watch.ended).code).toBe(14);
  });
});

describe('bad input gets a gRPC status, never a crash or a hang', () => {
  it('answers each bad request with its status, and the worker’s descriptors return to their count', async () => {
    const { port, client, fds } = await grpcWorker([{ name: 'db', behaviour: 'pass' }]);
    expect(await client.check('readiness')).toEqual({ status: 'SERVING' });
    client.close();
    await sleep(200);
    const before = await fds();
    const call = (headers: Record<string, string>, body?: Buffer) =>
      rawCall(port, { ':path': CHECK, ...GRPC_HEADERS, ...headers }, body);
    const good = framed(checkRequest('readiness'));

    const wrongType = await call({ 'content-type': 'application/json' }, Buffer.from('{"service":"readiness"}'));
    expect([wrongType.headers[':status'], wrongType.grpcStatus]).toEqual([415, 3]);
    const get = await rawCall(port, { ':method': 'GET', ':path': CHECK }, undefined);
    expect([get.headers[':status'], get.grpcStatus]).toEqual([405, 13]);
    expect((await call({}, framed(checkRequest('readiness'), true))).grpcStatus).toBe(12);
    expect((await call({ 'grpc-encoding': 'gzip' }, good)).grpcStatus).toBe(12);
    const oversized = await call({}, framed(Buffer.alloc(1_000_000, 0x0a)));
    expect([oversized.grpcStatus, oversized.grpcMessage]).toEqual([
      8,
      'message of 1000000 bytes is larger than the limit of 4096',
    ]);
    expect((await call({}, Buffer.from([0, 0, 0, 0x10, 1, 1, 2]))).grpcStatus).toBe(8);
    // A length that runs past the message, a truncated varint, field number 0, invalid UTF-8.
    for (const malformed of [
      [0x0a, 0x09, 0x61],
      [0x0a, 0x80],
      [0x02, 0x01],
      [0x0a, 0x02, 0xc3, 0x28],
    ]) {
      const answer = await call({}, framed(Buffer.from(malformed)));
      expect([answer.grpcStatus, answer.grpcMessage]).toEqual([
        13,
        expect.stringMatching(/^the request is not a HealthCheckRequest: /),
      ]);
    }
    expect((await call({}, good.subarray(0, 8))).grpcMessage).toBe('the request ended in the middle of a message');
    expect((await call({}, Buffer.concat([good, good]))).grpcStatus).toBe(13);
    expect((await call({ 'grpc-timeout': 'soon' }, good)).grpcStatus).toBe(13);
    const unknown = await rawCall(port, { ':path': '/grpc.health.v1.Health/Nope', ...GRPC_HEADERS }, good);
    expect([unknown.grpcStatus, unknown.grpcMessage]).toEqual([
      12,
      expect.stringContaining('unknown method "/grpc.health.v1.Health/Nope"'),
    ]);
    expect((await rawCall(port, { ':path': '/other.Service/Check', ...GRPC_HEADERS }, good)).grpcStatus).toBe(12);
    // An empty request is the empty service, as protobuf has it.
    expect([...(await call({}, framed(Buffer.alloc(0)))).data]).toEqual([0, 0, 0, 0, 2, 0x08, 1]);

    // HTTP/1.1, as curl speaks it by default.
    const curl = await run('curl', [
      '-sS',
      '-i',
      '--max-time',
      '5',
      `http://127.0.0.1:${port}/grpc.health.v1.Health/Check`,
    ]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/);
    expect(curl.stdout).toContain('grpc-status: 12');
    // Garbage after a correct preface, and a preface cut short, are HTTP/2 protocol errors.
    expect(
      await rawBytes(port, Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.alloc(64, 0xff)])),
    ).toMatch(/closed/);
    expect(await rawBytes(port, Buffer.from('PRI * HTTP/2.0\r\n'), true)).toMatch(/closed/);

    const after = healthClient(`127.0.0.1:${port}`);
    expect(await after.check('readiness')).toEqual({ status: 'SERVING' });
    after.close();
    await sleep(300);
    expect(await fds()).toBe(before);
  });

  it('Python’s grpcio (a separate C-core HTTP/2 implementation) gets the same answers through raw calls', async () => {
    const { port } = await grpcWorker([{ name: 'db', probes: ['readiness'], behaviour: 'fail' }]);
    expect(await askWithPython(`127.0.0.1:${port}`)).toEqual(pythonAnswers({ startup: 'SERVING' }));
  });
});

const CLI_BIN_PATH = new URL('../packages/cli/dist/bin.cjs', import.meta.url).pathname;

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Sends `bytes` on a fresh connection and tells how it ended. */
function rawBytes(port: number, bytes: Buffer, halfClose = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () =>
      halfClose ? socket.end(bytes) : socket.write(bytes),
    );
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('still open after 5 s');
    }, 5000);
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}
