// End to end: checks.tcp and checks.http against real listeners on 127.0.0.1: a TCP server,
// python3's http.server, a port nobody listens on, and servers that never answer. Each run must
// keep its deadline and leave no socket open.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checks, createHealthServer, type HealthCheck } from '@healthsock/server';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, run } from './helpers/processes.js';
import { freePort, listenOnFreePort } from './helpers/ports.js';
import { sleep } from './helpers/time.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The sockets this process holds open, by descriptor. */
function openSockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

/** Runs one check through a health server's readiness probe, as a client on the socket would see it. */
async function probe(check: HealthCheck, timeoutMs = 1000) {
  const health = createHealthServer({ socketPath: '@healthsock-unused' }).addCheck('dependency', check, { timeoutMs });
  const started = performance.now();
  const report = await health.probe('readiness');
  return { report, check: report.checks[0], elapsedMs: performance.now() - started };
}

/** Lets closes and destroys run, then returns the count of open sockets. */
async function socketsAfterSettling(): Promise<number> {
  await sleep(50);
  return openSockets();
}

async function listen(server: net.Server): Promise<number> {
  const port = await listenOnFreePort(server);
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return port;
}

/** A raw HTTP server that answers every connection with `status` and counts the connections. */
async function answering(status: string): Promise<{ port: number; connections: number }> {
  const server = { port: 0, connections: 0 };
  server.port = await listen(
    net.createServer((socket) => {
      server.connections += 1;
      socket.resume();
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    }),
  );
  return server;
}

/** Starts a python3 helper and resolves with the first line it prints. */
async function python(args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn('python3', args, { env: childEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
  cleanups.push(() => {
    child.kill('SIGKILL');
    return new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  });
  const lines = createInterface({ input: child.stdout });
  const firstLine = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`python3 ${args.join(' ')} exited ${code}`)));
  });
  return { child, firstLine };
}

describe('checks.tcp', () => {
  it('passes against a real TCP server, and closes its connection', async () => {
    let accepted = 0;
    const closed: Promise<void>[] = [];
    const port = await listen(
      net.createServer((socket) => {
        accepted += 1;
        closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      }),
    );
    const before = openSockets();
    const { check } = await probe(checks.tcp({ host: '127.0.0.1', port }));
    expect(check).toMatchObject({ status: 'healthy' });
    await Promise.all(closed);
    expect(accepted).toBe(1);
    expect(await socketsAfterSettling()).toBe(before);
  });

  it('fails at once, in words, on a port nobody listens on', async () => {
    const port = await freePort();
    const { check, elapsedMs } = await probe(checks.tcp({ host: '127.0.0.1', port }));
    expect(check).toMatchObject({
      status: 'unhealthy',
      message: `connection refused by 127.0.0.1:${port}: nothing listens there (ECONNREFUSED)`,
    });
    expect(elapsedMs).toBeLessThan(900);
  });

  it('fails a host that does not resolve, in words', async () => {
    const { check } = await probe(checks.tcp({ host: 'no-such-host.invalid', port: 5672 }), 3000);
    expect(check?.status).toBe('unhealthy');
    expect(check?.message).toMatch(/^cannot resolve no-such-host\.invalid: |^timed out after 3000 ms$/);
  });

  it('keeps its deadline against a listener whose backlog is full, and leaves no socket behind', async () => {
    // The listener never accepts and its queue is full, so the kernel drops our SYN: no answer.
    const { firstLine } = await python([
      '-c',
      `import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', port))
    except BlockingIOError: pass
    fill.append(c)
time.sleep(0.2)
print(port, flush=True)
time.sleep(60)`,
    ]);
    const before = openSockets();
    const { check, elapsedMs } = await probe(checks.tcp({ host: '127.0.0.1', port: Number(firstLine) }), 300);
    expect(check).toMatchObject({ status: 'unhealthy', message: 'timed out after 300 ms' });
    expect(elapsedMs).toBeGreaterThanOrEqual(295);
    expect(elapsedMs).toBeLessThan(1500);
    expect(await socketsAfterSettling()).toBe(before);
  });
});

describe('checks.http', () => {
  it('passes 2xx and 3xx from python3 -m http.server, and fails its 404 with the status', async () => {
    const { firstLine } = await python(['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0']);
    const port = Number(/port (\d+)/.exec(firstLine)?.[1]);
    expect(port).toBeGreaterThan(0);
    const before = openSockets();
    const base = `http://127.0.0.1:${port}`;
    expect((await probe(checks.http({ url: `${base}/` }))).check).toMatchObject({
      status: 'healthy',
      data: { statusCode: 200 },
    });
    // A directory without its slash is a 301: a probe passes it without following it.
    expect((await probe(checks.http({ url: `${base}/test` }))).check).toMatchObject({
      status: 'healthy',
      data: { statusCode: 301 },
    });
    expect((await probe(checks.http({ url: `${base}/missing` }))).check).toMatchObject({
      status: 'unhealthy',
      message: `HTTP 404 File not found from ${base}/missing`,
    });
    expect(await socketsAfterSettling()).toBe(before);
  });

  it('fails at once, in words, on a port nobody listens on', async () => {
    const port = await freePort();
    const { check } = await probe(checks.http({ url: `http://127.0.0.1:${port}/healthz` }));
    expect(check).toMatchObject({
      status: 'unhealthy',
      message: `connection refused by 127.0.0.1:${port}: nothing listens there (ECONNREFUSED)`,
    });
  });

  it('keeps its deadline against a server that accepts and never answers, and leaves no socket behind', async () => {
    const serverSide: Promise<void>[] = [];
    const port = await listen(
      net.createServer((socket) => {
        serverSide.push(new Promise((resolve) => socket.once('close', () => resolve())));
        socket.on('error', () => undefined);
        // Read (and drop) the request, so that the client's close reaches this side.
        socket.resume();
      }),
    );
    const before = openSockets();
    const { check, elapsedMs } = await probe(checks.http({ url: `http://127.0.0.1:${port}/healthz` }), 300);
    expect(check).toMatchObject({ status: 'unhealthy', message: 'timed out after 300 ms' });
    expect(elapsedMs).toBeGreaterThanOrEqual(295);
    expect(elapsedMs).toBeLessThan(1500);
    // The server sees the connection go: the check destroyed it rather than leaving it open.
    await Promise.all(serverSide);
    expect(serverSide).toHaveLength(1);
    expect(await socketsAfterSettling()).toBe(before);
  });

  it('never goes through a proxy, even when the environment asks Node to use one', async () => {
    const proxyServer = await answering('503 Proxy Says No');
    const target = await answering('204 No Content');
    const proxyPort = proxyServer.port;
    const targetPort = target.port;
    const script = `
      import { checks, createHealthServer } from '@healthsock/server';
      const health = createHealthServer({ socketPath: '@healthsock-unused' })
        .addCheck('api', checks.http({ url: 'http://127.0.0.1:${targetPort}/healthz' }));
      console.log(JSON.stringify((await health.probe('readiness')).checks[0]));
    `;
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: childEnv({ HTTP_PROXY: proxy, http_proxy: proxy, NODE_USE_ENV_PROXY: '1', NO_PROXY: '' }),
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'healthy', data: { statusCode: 204 } });
    expect({ direct: target.connections, proxied: proxyServer.connections }).toEqual({ direct: 1, proxied: 0 });
  });
});
