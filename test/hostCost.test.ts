// What the transports cost a host that does not use them: with only the socket configured, the
// server starts no HTTP or TCP machinery, and fires no timer while idle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv, run } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const sandbox = useSandbox();
const IDLE_PROOF = fileURLToPath(new URL('../bench/host/idle.js', import.meta.url));
/** Module hooks that log the URL of every module the worker loads to $HEALTHSOCK_LOADED_LOG. */
const LOAD_LOGGER = `
  import { appendFileSync } from 'node:fs';
  export async function load(url, context, next) {
    appendFileSync(process.env.HEALTHSOCK_LOADED_LOG, url + '\\n');
    return next(url, context);
  }
`;

/**
 * Starts a server with \`options\` in a fresh worker, sends \`request\` on its socket, and tells
 * whether any file the worker loaded holds the code of the HTTP transport or the TCP gate.
 */
async function loadsTransportCode(
  options: string,
  request: string,
): Promise<{ reply: string; loaded: boolean; metrics: boolean; peers: boolean; grpc: boolean; http2: boolean }> {
  const log = join(sandbox.dir, 'loaded.log');
  const script = `
    import { register } from 'node:module';
    import net from 'node:net';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(LOAD_LOGGER)}));
    const { createHealthServer } = await import('@healthsock/server');
    const health = createHealthServer({ socketPath: ${JSON.stringify(sandbox.socket)}, ${options} });
    health.addCheck('db', () => undefined);
    await health.listen();
    let reply = '';
    await new Promise((resolve) => {
      const client = net.connect(${JSON.stringify(sandbox.socket)}, () => client.write(${JSON.stringify(request)}));
      client.on('data', (chunk) => (reply += chunk));
      client.on('close', resolve);
    });
    const http2 = process.moduleLoadList.includes('NativeModule http2');
    process.stdout.write(reply + '\\n' + JSON.stringify({ http2 }));
    await health.close();
  `;
  const result = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: childEnv({ HEALTHSOCK_LOADED_LOG: log }),
  });
  expect(result.stderr).toBe('');
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:') && url.includes('/packages/server/dist/'));
  expect(files.length).toBeGreaterThan(0);
  const holds = (pattern: RegExp) => files.some((url) => pattern.test(readFileSync(fileURLToPath(url), 'utf8')));
  const lastLine = result.stdout.lastIndexOf('\n');
  const { http2 } = JSON.parse(result.stdout.slice(lastLine + 1)) as { http2: boolean };
  return {
    reply: result.stdout.slice(0, lastLine),
    loaded: holds(/function (createHttpTransport|createTcpGate)\(/),
    metrics: holds(/class MetricsRecorder|function formatPrometheusText\(/),
    peers: /\/node_modules\/(prom-client|@opentelemetry)\//.test(readFileSync(log, 'utf8')),
    grpc: holds(/function (createGrpcTransport|createGrpcHealth|serveGrpcStream|serveGrpcJsCall)\(/),
    http2,
  };
}

describe('host cost of the transports that are off', () => {
  it('a socket-only server holds only its socket: no TCP server, no timer, no node:http', async () => {
    const script = `
      import { createHook } from 'node:async_hooks';
      import net from 'node:net';
      const created = new Set();
      createHook({ init: (id, type) => created.add(type) }).enable();
      const { createHealthServer } = await import('@healthsock/server');
      const health = createHealthServer({ socketPath: ${JSON.stringify(sandbox.socket)} });
      health.addCheck('db', () => undefined);
      await health.listen();
      await new Promise((resolve) => {
        const client = net.connect(${JSON.stringify(sandbox.socket)}, () => client.write('readiness\\n'));
        client.resume();
        client.on('close', resolve);
      });
      await new Promise((resolve) => setImmediate(resolve));
      const loaded = process.moduleLoadList.filter((name) => /^NativeModule (_?https?|_http_\\w+|tls)$/.test(name));
      const resources = process.getActiveResourcesInfo();
      process.stdout.write(JSON.stringify({ resources, loaded, created: [...created] }));
      await health.close();
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    });
    expect(result.stderr).toBe('');
    const { resources, loaded, created } = JSON.parse(result.stdout);
    // Nothing it holds keeps the process alive, and it never made a TCP socket or an HTTP parser.
    expect(resources.filter((type: string) => type !== 'PipeWrap' && type !== 'TTYWrap')).toEqual([]);
    expect(created).toContain('PIPESERVERWRAP');
    expect(created.filter((type: string) => /TCP|HTTP/.test(type))).toEqual([]);
    expect(loaded).toEqual([]);
  });

  it('a socket-only worker probed on its socket never loads the code of the HTTP transport or the TCP gate', async () => {
    const { reply, loaded } = await loadsTransportCode('', 'readiness\n');
    expect(reply).toMatch(/"status":"healthy"/);
    expect(loaded).toBe(false);
  });

  it('the code of HTTP loads when a client speaks HTTP on the socket, or when a transport is configured', async () => {
    const sniffed = await loadsTransportCode('', 'GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(sniffed.reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(sniffed.loaded).toBe(true);
    const configured = await loadsTransportCode("http: { port: 0, host: '127.0.0.1' }", 'readiness\n');
    expect(configured.reply).toMatch(/"status":"healthy"/);
    expect(configured.loaded).toBe(true);
  });

  it('a worker without metrics loads none of their code, with HTTP on or off; http.metrics loads it', async () => {
    const socketOnly = await loadsTransportCode('', 'readiness\n');
    expect(socketOnly).toMatchObject({ metrics: false, peers: false });
    const httpOn = await loadsTransportCode("http: { port: 0, host: '127.0.0.1' }", 'GET /metrics HTTP/1.1\r\n\r\n');
    expect(httpOn.reply).toMatch(/^HTTP\/1\.1 404 /);
    expect(httpOn).toMatchObject({ metrics: false, peers: false });
    const metricsOn = await loadsTransportCode(
      "http: { port: 0, host: '127.0.0.1', metrics: true }",
      'GET /metrics HTTP/1.1\r\n\r\n',
    );
    expect(metricsOn.reply).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\n# HELP healthsock_check_status /);
    // The adapters' optional peers load only when their entry points are imported.
    expect(metricsOn).toMatchObject({ metrics: true, peers: false });
  });

  it('a worker without grpc neither loads nor compiles the gRPC transport, nor node:http2, whatever else it configures', async () => {
    const socketOnly = await loadsTransportCode('', 'readiness\n');
    expect(socketOnly).toMatchObject({ grpc: false, http2: false });
    const others = await loadsTransportCode(
      "http: { port: 0, host: '127.0.0.1' }, tcp: { port: 0, host: '127.0.0.1' }, heartbeat: { path: " +
        JSON.stringify(join(sandbox.dir, 'beat')) +
        ' }',
      'readiness\n',
    );
    expect(others).toMatchObject({
      reply: expect.stringMatching(/"status":"healthy"/),
      loaded: true,
      grpc: false,
      http2: false,
    });
    const configured = await loadsTransportCode("grpc: { port: 0, host: '127.0.0.1' }", 'readiness\n');
    expect(configured).toMatchObject({ reply: expect.stringMatching(/"status":"healthy"/), grpc: true, http2: true });
  });

  it('importing the package loads none of node:net, node:perf_hooks, node:os or the streams, as ES module or CommonJS', async () => {
    const heavy = /^NativeModule (net|perf_hooks|os|stream|internal\/perf\/\w+)$/;
    for (const load of [`await import('@healthsock/server')`, `createRequire(import.meta.url)('@healthsock/server')`]) {
      const script = `
        import { createRequire } from 'node:module';
        // The builtins the package does load, first: what they load themselves is Node's
        // (on Node 24, node:fs loads node:os), not the package's.
        await import('node:fs/promises');
        await import('node:path');
        createRequire(import.meta.url)('node:fs');
        const before = new Set(process.moduleLoadList);
        ${load};
        // Taken before \`process.stdout\` is touched: on a pipe, that loads node:net itself.
        const loaded = process.moduleLoadList.filter((name) => !before.has(name));
        process.stdout.write(JSON.stringify(loaded));
      `;
      const result = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        env: childEnv(),
      });
      expect(result.stderr).toBe('');
      const loaded: string[] = JSON.parse(result.stdout);
      expect(loaded.filter((name) => heavy.test(name))).toEqual([]);
    }
  });

  it('the idle proof: a socket-only server holds no timer and runs no callback while idle', async () => {
    const result = await run(process.execPath, [IDLE_PROOF, 'healthsock', join(sandbox.dir, 'idle.sock'), '1000']);
    expect(result.code).toBe(0);
    const proof = JSON.parse(result.stdout);
    expect(proof.timersHeld).toBe(0);
    expect(proof.callbacksRun).toEqual({});
  });
});
