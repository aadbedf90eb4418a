// HTTP endpoints end to end: a real worker process, real ports on 127.0.0.1, and the clients that
// probe HTTP in practice: curl, Node's http.get, a kubelet-style httpGet, and raw sockets.
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { httpGet } from './helpers/httpGet.js';
import { runHttpGetProbe } from './helpers/kubelet.js';
import { run, type CheckSpec } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { sleep } from './helpers/time.js';

/** kubelet's httpGet probe (timeoutSeconds 1) of `path` on the worker's loopback port. */
function kubeletGet(port: number, path: string, httpHeaders: { name: string; value: string }[] = []) {
  return runHttpGetProbe({ httpGet: { host: '127.0.0.1', port, path, httpHeaders }, timeoutSeconds: 1 });
}

const sandbox = useSandbox();

/** Starts a worker with HTTP on a free port of 127.0.0.1 (or `host`), and returns it with the port. */
async function httpWorker(
  checks: CheckSpec[],
  http: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  socket = sandbox.socket,
) {
  const worker = await sandbox.worker(socket, checks, {
    env: { HS_OPTIONS: JSON.stringify({ http: { port: 0, host: '127.0.0.1', ...http }, ...extra }) },
  });
  expect(worker.status).toBe('listening');
  const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).http as number;
  return { worker, port };
}

async function setCheck(worker: Awaited<ReturnType<typeof httpWorker>>['worker'], name: string, behaviour: string) {
  worker.send(`set ${name} ${behaviour}`);
  await worker.nextLine('set');
}

function curl(args: string[]) {
  return run('curl', ['-s', '--max-time', '5', ...args]);
}

/** Sends raw bytes to a TCP port and collects the whole answer until the server closes. */
function rawHttp(port: number, request: string | undefined, options: { vanish?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      if (request !== undefined) socket.write(request);
      if (options.vanish) socket.resetAndDestroy();
    });
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('close', () => resolve(reply));
    socket.on('error', (error) => (options.vanish ? resolve('') : reject(error)));
  });
}

describe('the manifests of the systems healthsock replaces, as written', () => {
  it('ASP.NET: startupProbe /health/startup, livenessProbe /healthz, readinessProbe /ready', async () => {
    const { worker, port } = await httpWorker(
      [
        { name: 'migrations', probes: ['startup'], behaviour: 'fail' },
        { name: 'db', probes: ['readiness'], behaviour: 'pass' },
      ],
      { paths: { startup: ['/health/startup'], liveness: ['/healthz'], readiness: ['/ready'] } },
    );
    const probe = (path: string) => kubeletGet(port, path);
    expect(await probe('/health/startup')).toMatchObject({ passed: false, status: 503 });
    await setCheck(worker, 'migrations', 'pass');
    expect(await probe('/health/startup')).toMatchObject({ passed: true, status: 200, body: 'ok\n' });
    expect(await probe('/healthz')).toMatchObject({ passed: true, status: 200 });
    expect(await probe('/ready')).toMatchObject({ passed: true, status: 200 });
    await setCheck(worker, 'db', 'fail');
    expect(await probe('/ready')).toMatchObject({ passed: false, status: 503 });
    expect(await probe('/healthz')).toMatchObject({ passed: true, status: 200 });
    // The paths given replace that probe's defaults.
    expect(await probe('/readyz')).toMatchObject({ passed: false, status: 404 });
  });

  it('Go: one /health path, told apart by an X-Probe header', async () => {
    const { worker, port } = await httpWorker([
      { name: 'loop', probes: ['liveness'], behaviour: 'pass' },
      { name: 'db', probes: ['readiness'], behaviour: 'pass' },
    ]);
    const probe = (value: string) => kubeletGet(port, '/health', [{ name: 'X-Probe', value }]);
    expect(await probe('readiness')).toMatchObject({ passed: true, status: 200 });
    await setCheck(worker, 'db', 'fail');
    expect(await probe('readiness')).toMatchObject({ passed: false, status: 503 });
    expect(await probe('liveness')).toMatchObject({ passed: true, status: 200 });
    // Without the header /health is liveness.
    expect(await kubeletGet(port, '/health')).toMatchObject({ passed: true });
    await setCheck(worker, 'loop', 'fail');
    expect(await probe('liveness')).toMatchObject({ passed: false, status: 503 });
    expect((await httpGet(`http://127.0.0.1:${port}/health`, { 'X-Probe': 'sideways' })).status).toBe(400);
  });
});

describe('bodies, after the Kubernetes API server', () => {
  it('curl: ok, ?verbose, failures with their reasons for a local client, ?exclude and /<path>/<check>', async () => {
    const { worker, port } = await httpWorker([
      { name: 'db', behaviour: 'pass' },
      { name: 'cache', behaviour: 'degraded' },
    ]);
    const base = `http://127.0.0.1:${port}`;
    expect((await curl([`${base}/readyz`])).stdout).toBe('ok\n');
    expect((await curl([`${base}/readyz?verbose`])).stdout).toBe(
      '[+]db ok\n[+]cache degraded: cache is slow\nreadiness check passed\n',
    );
    await setCheck(worker, 'db', 'fail');
    const failed = await curl(['-w', '%{http_code}', `${base}/readyz`]);
    expect(failed.stdout).toBe(
      '[-]db failed: db is down\n[+]cache degraded: cache is slow\nreadiness check failed\n503',
    );
    expect((await curl([`${base}/readyz?verbose&exclude=db`])).stdout).toBe(
      '[+]cache degraded: cache is slow\n[+]db excluded: ok\nreadiness check passed\n',
    );
    expect((await curl(['-w', '%{http_code}', `${base}/readyz/cache`])).stdout).toBe('ok\n200');
    expect((await curl(['-w', '%{http_code}', `${base}/readyz/db`])).stdout).toMatch(
      /^\[-\]db failed: db is down\n.*503$/s,
    );
    expect((await curl(['-w', '%{http_code}', `${base}/readyz/nope`])).stdout).toMatch(/no check named "nope".*404$/s);
  });

  it('Node http.get: JSON with Accept or ?format=json, the headers, 404, 405 with Allow, HEAD without a body', async () => {
    const { port } = await httpWorker([{ name: 'db', behaviour: 'pass' }]);
    const base = `http://127.0.0.1:${port}`;
    const json = await httpGet(`${base}/readyz`, { Accept: 'application/json' });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body)).toMatchObject({
      v: 1,
      probe: 'readiness',
      status: 'healthy',
      checks: [{ name: 'db' }],
    });
    expect(JSON.parse((await httpGet(`${base}/livez?format=json`)).body)).toMatchObject({ v: 1, probe: 'liveness' });
    const text = await httpGet(`${base}/livez`);
    expect(text.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    });
    expect((await httpGet(`${base}/metrics`)).status).toBe(404);
    const post = await run('curl', ['-s', '-i', '-X', 'POST', '-d', 'x=1', `${base}/readyz`]);
    expect(post.stdout).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(post.stdout).toMatch(/\r\nAllow: GET, HEAD\r\n/);
    const head = await run('curl', ['-s', '-I', `${base}/readyz`]);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 3\r\n[\s\S]*\r\n\r\n$/);
  });

  it('bounds a request by ?timeout=, since kubelet does not send its own', async () => {
    const { port } = await httpWorker([{ name: 'stuck', behaviour: 'hang', timeoutMs: 10_000 }]);
    const started = performance.now();
    const reply = await httpGet(`http://127.0.0.1:${port}/readyz?timeout=300ms`);
    expect(reply.status).toBe(503);
    expect(reply.body).toMatch(/\[-\]stuck failed: timed out after \d+ ms/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await httpGet(`http://127.0.0.1:${port}/readyz?timeout=soon`)).status).toBe(400);
  });
});

/** A non-loopback address of this machine, to reach the port as the rest of the cluster would. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

describe('messages stay in the pod', () => {
  const external = externalAddress();
  it.skipIf(external === undefined)(
    'withholds check messages from non-loopback clients unless details is set',
    async () => {
      const checks: CheckSpec[] = [{ name: 'db', behaviour: 'fail' }];
      const { port } = await httpWorker(checks, { host: '0.0.0.0' });
      const remote = await httpGet(`http://${external}:${port}/readyz?verbose`);
      expect(remote.body).toBe('[-]db failed: reason withheld\nreadiness check failed\n');
      expect(JSON.parse((await httpGet(`http://${external}:${port}/readyz?format=json`)).body).checks[0].message).toBe(
        'reason withheld',
      );
      expect((await httpGet(`http://127.0.0.1:${port}/readyz`)).body).toMatch(/db failed: db is down/);
      const open = await httpWorker(checks, { host: '0.0.0.0', details: true }, {}, join(sandbox.dir, 'open.sock'));
      expect((await httpGet(`http://${external}:${open.port}/readyz`)).body).toMatch(/db failed: db is down/);
    },
  );
});

describe('the Unix socket also speaks HTTP', () => {
  it('curl --unix-socket gets the HTTP endpoints with details; line clients are unaffected', async () => {
    const worker = await sandbox.worker(sandbox.socket, [{ name: 'db', behaviour: 'fail' }]);
    expect(worker.status).toBe('listening');
    const verbose = await curl(['-w', '%{http_code}', '--unix-socket', sandbox.socket, 'http://x/readyz?verbose']);
    expect(verbose.stdout).toBe('[-]db failed: db is down\nreadiness check failed\n503');
    expect((await curl(['--unix-socket', sandbox.socket, 'http://x/livez'])).stdout).toBe('ok\n');
    const line = await run('sh', ['-c', `printf 'readiness\\n' | socat - UNIX-CONNECT:${sandbox.socket}`]);
    expect(JSON.parse(line.stdout)).toMatchObject({ v: 1, probe: 'readiness', status: 'unhealthy' });
    const compat = await run('sh', ['-c', `printf hc | socat -t 2 - UNIX-CONNECT:${sandbox.socket}`]);
    expect(compat.stdout).toBe('0');
  });
});

describe('robust to real clients', () => {
  it('survives resets, vanishing clients, oversized heads, many headers, bodies, pipelining and keep-alive', async () => {
    const { worker, port } = await httpWorker([{ name: 'db', behaviour: 'pass' }], {}, { idleTimeoutMs: 500 });
    worker.send('stats');
    const [, baseline] = (await worker.nextLine('stats')).split(' ');

    for (let i = 0; i < 50; i++) {
      expect((await kubeletGet(port, '/livez')).passed).toBe(true);
    }
    await Promise.all(
      Array.from({ length: 20 }, () => rawHttp(port, 'GET /readyz HTTP/1.1\r\nHost: x\r\n', { vanish: true })),
    );
    expect(await rawHttp(port, `GET /${'a'.repeat(9000)} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    const manyHeaders = Array.from({ length: 150 }, (_, i) => `X-${i}: y\r\n`).join('');
    expect(await rawHttp(port, `GET /livez HTTP/1.1\r\n${manyHeaders}\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    const withBody = await rawHttp(port, 'GET /livez HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello');
    expect(withBody).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const pipelined = await rawHttp(port, 'GET /livez HTTP/1.1\r\n\r\nGET /readyz HTTP/1.1\r\n\r\n');
    expect(pipelined.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    const keepAlive = await rawHttp(port, 'GET /livez HTTP/1.1\r\nConnection: keep-alive\r\n\r\n');
    expect(keepAlive).toMatch(/\r\nConnection: close\r\n/);
    expect(await rawHttp(port, 'GET /livez HTTP/1.1\r\nHost: slow\r\n')).toMatch(/^HTTP\/1\.1 408 /);
    expect(await rawHttp(port, 'hello there\n')).toMatch(/^HTTP\/1\.1 400 /);

    expect((await kubeletGet(port, '/livez')).passed).toBe(true);
    await sleep(200);
    worker.send('stats');
    const [, after] = (await worker.nextLine('stats')).split(' ');
    expect(Number(after)).toBe(Number(baseline));
    worker.send('exit');
    // Nothing the HTTP transport left behind keeps the process alive.
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
