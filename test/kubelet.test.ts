// Our runner of kubelet's httpGet and tcpSocket probes (test/helpers/kubelet.ts) held to
// kubelet's rules, against real listeners on this machine's non-loopback address (the pod IP's
// stand-in). podman ignores startup and readiness probes, so these rules are what checks the
// manifests' gating; they must be kubelet's, not ours.
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
// Reading a request is the server's side of gRPC health, not in the client's entry point.
import { decodeHealthCheckRequest } from '../packages/server/src/wire/grpcHealthWire.js';
import {
  KUBE_PROBE_USER_AGENT,
  podIp,
  runGrpcProbe,
  runHttpGetProbe,
  runTcpSocketProbe,
  type Probe,
} from './helpers/kubelet.js';
import { listenOnFreePort } from './helpers/ports.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An HTTP server on `host` (all addresses by default), port 0; every request is recorded. */
async function serve(handler: http.RequestListener, host = '0.0.0.0') {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  const port = await listenOnFreePort(server, host);
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port, requests };
}

const httpGet = (port: number | string, path = '/', extra: Partial<Probe> = {}): Probe => ({
  httpGet: { port, path },
  timeoutSeconds: 1,
  ...extra,
});

describe('httpGet, by kubelet’s rules', () => {
  it('passes on 200-399 and sends kubelet’s headers with the probe’s own, without keep-alive, to the pod IP', async () => {
    const server = await serve((_, response) => response.writeHead(204).end());
    const probe: Probe = {
      httpGet: { port: server.port, path: '/healthz', httpHeaders: [{ name: 'X-Probe', value: 'liveness' }] },
    };
    const result = await runHttpGetProbe(probe);
    expect(result).toMatchObject({ passed: true, output: `HTTP probe http://${podIp()}:${server.port}/healthz: 204` });
    const [request] = server.requests;
    expect(request?.headers).toMatchObject({
      'user-agent': KUBE_PROBE_USER_AGENT,
      accept: '*/*',
      connection: 'close',
      'x-probe': 'liveness',
    });
    expect(request?.method).toBe('GET');
  });

  it('fails on 503 and reports at most 10 KiB of the body', async () => {
    const server = await serve((_, response) => response.writeHead(503).end('x'.repeat(100_000)));
    const result = await runHttpGetProbe(httpGet(server.port));
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/: 503, body: x+$/);
    expect(result.output.length).toBeLessThan(10 * 1024 + 200);
  });

  it('follows redirects to the same host, passes a redirect to another host with a warning, and stops after 10', async () => {
    const server = await serve((request, response) => {
      const hop = Number(request.url?.slice(1) || '0');
      if (request.url === '/elsewhere') return response.writeHead(302, { Location: 'http://other.invalid/' }).end();
      if (request.url === '/ok') return response.writeHead(200).end('ok');
      if (request.url === '/once') return response.writeHead(301, { Location: '/ok' }).end();
      response.writeHead(302, { Location: `/${hop + 1}` }).end();
    });
    const followed = await runHttpGetProbe(httpGet(server.port, '/once'));
    expect(followed.passed).toBe(true);
    expect(followed.requests.map((url) => new URL(url).pathname)).toEqual(['/once', '/ok']);

    const away = await runHttpGetProbe(httpGet(server.port, '/elsewhere'));
    expect(away).toMatchObject({ passed: true, warning: 'redirect to another host: http://other.invalid/' });
    expect(away.requests).toHaveLength(1);

    const loop = await runHttpGetProbe(httpGet(server.port, '/0'));
    expect(loop.passed).toBe(false);
    expect(loop.requests).toHaveLength(11);
  });

  it('fails a server that does not answer within timeoutSeconds', async () => {
    const server = await serve(() => undefined);
    const result = await runHttpGetProbe(httpGet(server.port));
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/timeout/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(result.elapsedMs).toBeLessThan(5_000);
  });

  it('fails a server that listens on loopback only, because kubelet probes the pod IP', async () => {
    const server = await serve((_, response) => response.writeHead(200).end(), '127.0.0.1');
    const result = await runHttpGetProbe(httpGet(server.port));
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/ECONNREFUSED/);
  });

  it('resolves a named port from the container’s ports, and refuses one it does not declare', async () => {
    const server = await serve((_, response) => response.writeHead(200).end());
    const container = { name: 'worker', image: 'x', ports: [{ name: 'health', containerPort: server.port }] };
    expect((await runHttpGetProbe(httpGet('health'), { container })).passed).toBe(true);
    await expect(runHttpGetProbe(httpGet('metrics'), { container })).rejects.toThrow(/port "metrics"/);
  });
});

describe('tcpSocket, by kubelet’s rules', () => {
  it('passes while something listens on the pod IP, sending nothing, and fails once the listener is closed', async () => {
    const received: Buffer[] = [];
    const server = net.createServer((socket) => socket.on('data', (chunk) => received.push(chunk)));
    const port = await listenOnFreePort(server, '0.0.0.0');
    const probe: Probe = { tcpSocket: { port }, timeoutSeconds: 1 };

    const open = await runTcpSocketProbe(probe);
    expect(open.passed, open.output).toBe(true);
    expect(received).toEqual([]);

    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = await runTcpSocketProbe(probe);
    expect(closed.passed).toBe(false);
    expect(closed.output).toMatch(/ECONNREFUSED/);
  });
});

/** A raw HTTP/2 server on `host` whose streams `answer` handles; each request's headers and body are recorded. */
async function serveHttp2(answer: (stream: http2.ServerHttp2Stream) => void, host = '0.0.0.0') {
  const requests: { headers: http2.IncomingHttpHeaders; body: Buffer }[] = [];
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => sessions.add(session.on('error', () => undefined)));
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('error', () => undefined);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      requests.push({ headers, body: Buffer.concat(chunks) });
      answer(stream);
    });
  });
  const port = await listenOnFreePort(server, host);
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, requests };
}

const servingStatus = (status: number) => (stream: http2.ServerHttp2Stream) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
};
const grpcStatus = (code: number) => (stream: http2.ServerHttp2Stream) =>
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code) },
    { endStream: true },
  );

describe('grpc, by kubelet’s rules', () => {
  it('calls Check on the pod IP in plaintext HTTP/2 with kubelet’s user agent and the probe’s service (empty when not given)', async () => {
    const server = await serveHttp2(servingStatus(1));
    expect(await runGrpcProbe({ grpc: { port: server.port } })).toMatchObject({ passed: true, output: 'SERVING' });
    expect(await runGrpcProbe({ grpc: { port: server.port, service: 'readiness' } })).toMatchObject({ passed: true });
    const [first, second] = server.requests;
    expect(first?.headers).toMatchObject({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      ':scheme': 'http',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': expect.stringMatching(new RegExp(`^${KUBE_PROBE_USER_AGENT} `)),
      'grpc-timeout': expect.stringMatching(/^\d+[mu]$/),
    });
    // The empty service, however the client spells it (grpc-js sends the empty string; Go leaves it out).
    expect(decodeHealthCheckRequest((first?.body ?? Buffer.alloc(0)).subarray(5))).toEqual({ service: '' });
    expect([...(second?.body ?? [])]).toEqual([0, 0, 0, 0, 11, 0x0a, 9, ...Buffer.from('readiness')]);
  });

  it('fails on every status but SERVING, on a gRPC error, on a refused port and at the deadline', async () => {
    for (const [answer, output] of [
      [servingStatus(2), 'service unhealthy: NOT_SERVING'],
      [servingStatus(0), 'service unhealthy: UNKNOWN'],
      [grpcStatus(5), /^error: the health call to .* failed: NOT_FOUND/],
      [grpcStatus(12), /does not serve grpc.health.v1.Health$/],
    ] as const) {
      const server = await serveHttp2(answer);
      const result = await runGrpcProbe({ grpc: { port: server.port, service: 'readiness' } });
      expect(result.passed).toBe(false);
      expect(result.output).toMatch(output);
    }
    const silent = await serveHttp2(() => undefined);
    const timedOut = await runGrpcProbe({ grpc: { port: silent.port }, timeoutSeconds: 1 });
    expect(timedOut).toMatchObject({ passed: false, output: expect.stringMatching(/^timeout: /) });
    // The deadline, with a wide bound for a loaded machine.
    expect(timedOut.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(timedOut.elapsedMs).toBeLessThan(5000);
    const loopbackOnly = await serveHttp2(servingStatus(1), '127.0.0.1');
    expect((await runGrpcProbe({ grpc: { port: loopbackOnly.port } })).passed).toBe(false);
  });

  it('takes a port number only, as the API does', async () => {
    await expect(runGrpcProbe({ grpc: { port: 'grpc' as unknown as number } })).rejects.toThrow(/must be a number/);
  });
});
