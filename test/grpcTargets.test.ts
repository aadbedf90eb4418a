// The CLI's grpc:// and grpcs:// targets, in place of grpc_health_probe: against grpc-health-check's
// own server on @grpc/grpc-js, against healthsock's transport and adapter, and against raw HTTP/2
// servers that misbehave. Each probe is the built CLI in a process of its own.
import http2 from 'node:http2';
import grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer } from '@healthsock/server';
import { freePort } from './helpers/ports.js';
import { runCli } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { selfSignedCertificate } from './helpers/selfSignedCertificate.js';

const sandbox = useSandbox();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A grpc-js server on a free loopback port; `setup` adds its services. */
async function grpcJsServer(setup: (server: grpc.Server) => void): Promise<number> {
  const server = new grpc.Server();
  setup(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  cleanups.push(() => server.forceShutdown());
  return port;
}

/** A raw HTTP/2 server whose every stream `onStream` answers, however it likes. */
async function rawHttp2(onStream: (stream: http2.ServerHttp2Stream, session: http2.ServerHttp2Session) => void) {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => undefined);
  });
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    onStream(stream, stream.session as http2.ServerHttp2Session);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as { port: number }).port;
}

const SERVING = Buffer.from([0, 0, 0, 0, 2, 0x08, 1]);

describe('grpc:// against grpc-health-check’s server on @grpc/grpc-js', () => {
  it('passes on SERVING, fails on NOT_SERVING with unhealthy:, and names an unknown service with bad-reply:', async () => {
    const health = new HealthImplementation({ '': 'SERVING', readiness: 'NOT_SERVING', liveness: 'SERVING' });
    const port = await grpcJsServer((server) => health.addToServer(server));
    const url = `grpc://127.0.0.1:${port}`;
    const passed = await runCli(['liveness', url]);
    expect(passed).toMatchObject({ code: 0, stderr: '' });
    expect(passed.stdout).toMatch(
      new RegExp(`^healthy: liveness passed at ${url}/liveness \\(SERVING, [\\d.]+ ms\\)\\n$`),
    );
    const failed = await runCli(['readiness', url]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toBe(`unhealthy: readiness failed at ${url}/readiness: NOT_SERVING\n`);
    const unknown = await runCli([`${url}/payments`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(new RegExp(`^bad-reply: ${url}/payments has no service "payments" \\(NOT_FOUND`));
    // The service in the URL wins over the probe's name; percent-encoding spells any name.
    expect(await runCli(['readiness', `${url}/liveness`])).toMatchObject({ code: 0 });
    health.setStatus('readiness', 'SERVING');
    expect(await runCli(['readiness', url])).toMatchObject({ code: 0 });
  });

  it('says bad-reply: UNIMPLEMENTED for a gRPC server without the health service', async () => {
    const port = await grpcJsServer(() => undefined);
    const result = await runCli(['readiness', `grpc://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^bad-reply: grpc://127\\.0\\.0\\.1:${port}/readiness does not serve grpc.health.v1.Health \\(UNIMPLEMENTED`,
      ),
    );
  });

  it('sends each --header as metadata, a repeated name twice', async () => {
    const seen: grpc.Metadata[] = [];
    const health = new HealthImplementation({ '': 'SERVING' });
    const port = await grpcJsServer((server) => {
      // The interceptor-free way to see metadata: wrap the Check handler grpc-health-check installs.
      health.addToServer({
        addService(definition, implementation) {
          const check = implementation.check as grpc.handleUnaryCall<unknown, unknown>;
          server.addService(definition, {
            ...implementation,
            check: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
              seen.push(call.metadata);
              check(call, callback);
            },
          });
        },
      } as grpc.Server);
    });
    const result = await runCli([
      `grpc://127.0.0.1:${port}/`,
      '--header',
      'Authorization: Bearer abc',
      '-H',
      'x-tenant: a',
      '-H',
      'x-tenant: b',
    ]);
    expect(result.code).toBe(1);
    expect(seen[0]?.get('authorization')).toEqual(['Bearer abc']);
    // Node's HTTP/2 server joins a repeated header into one value, as HTTP allows.
    expect(seen[0]?.get('x-tenant')).toEqual(['a, b']);
    expect(String(seen[0]?.get('user-agent')[0])).toMatch(/^healthsock\//);
  });
});

describe('grpc:// against healthsock', () => {
  it('passes and fails with the right lines against the transport, with check messages on loopback', async () => {
    let up = true;
    const health = createHealthServer({ socketPath: false, grpc: { port: 0, host: '127.0.0.1' } });
    health.addCheck('db', () => {
      if (!up) throw new Error('connect ECONNREFUSED');
    });
    await health.listen();
    cleanups.push(() => health.close());
    const url = `grpc://127.0.0.1:${health.ports.grpc}`;
    expect((await runCli(['readiness', url])).stdout).toMatch(
      /^healthy: readiness passed at .*\/readiness \(SERVING, /,
    );
    up = false;
    const failed = await runCli(['readiness', url]);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toBe(
      `unhealthy: readiness failed at ${url}/readiness: NOT_SERVING: readiness failed: db: connect ECONNREFUSED\n`,
    );
    expect(await runCli([`${url}/readiness/db`])).toMatchObject({ code: 1 });
    expect(await runCli([`${url}/liveness`])).toMatchObject({ code: 0 });
  });

  it('passes and fails against the adapter on an application’s own grpc-js server, next to its own service', async () => {
    let up = true;
    const health = createHealthServer({ socketPath: false });
    health.addCheck('db', () => {
      if (!up) throw new Error('db is down');
    });
    const port = await grpcJsServer((server) =>
      server.addService(health.grpcHealthService.definition, health.grpcHealthService.implementation),
    );
    const url = `grpc://127.0.0.1:${port}`;
    expect(await runCli(['readiness', url])).toMatchObject({ code: 0 });
    up = false;
    const failed = await runCli(['readiness', url]);
    expect(failed.stderr).toBe(`unhealthy: readiness failed at ${url}/readiness: NOT_SERVING\n`);
  });
});

describe('grpc:// against servers that misbehave', () => {
  it('no trailers: bad-reply', async () => {
    const port = await rawHttp2((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end(SERVING);
    });
    const result = await runCli(['readiness', `grpc://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^bad-reply: grpc:\/\/127\.0\.0\.1:\d+\/readiness ended the call without a gRPC status \(no trailers\)\n$/,
    );
  });

  it('an endless stream, and a header that never comes: timeout: within the deadline', async () => {
    const endless = await rawHttp2((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      const timer = setInterval(() => stream.write(SERVING), 5);
      stream.on('close', () => clearInterval(timer));
    });
    const silent = await rawHttp2(() => undefined);
    for (const port of [endless, silent]) {
      const result = await runCli(['readiness', `grpc://127.0.0.1:${port}`, '-t', '500ms']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^timeout: grpc:\/\/127\.0\.0\.1:\d+\/readiness did not answer within 500 ms\n$/);
    }
  });

  it('a flood of data: bad-reply once it passes 64 KiB', async () => {
    const port = await rawHttp2((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      const prefix = Buffer.from([0, 0, 0x10, 0, 0]);
      stream.write(prefix);
      stream.write(Buffer.alloc(100_000));
    });
    const result = await runCli(['readiness', `grpc://127.0.0.1:${port}`]);
    expect(result.stderr).toMatch(
      /^bad-reply: .* sent an unreadable response: message of 1048576 bytes is larger than the limit of 65536\n$/,
    );
  });

  it('GOAWAY before an answer: bad-reply naming the code and the reason', async () => {
    const port = await rawHttp2((_, session) =>
      session.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from('busy')),
    );
    const result = await runCli(['readiness', `grpc://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^bad-reply: grpc:\/\/127\.0\.0\.1:\d+\/readiness closed the connection before answering \(GOAWAY ENHANCE_YOUR_CALM: busy\)\n$/,
    );
  });

  it('an HTTP status other than 200, a port nobody listens on, a host that does not resolve', async () => {
    const port = await rawHttp2((stream) => stream.respond({ ':status': 503 }, { endStream: true }));
    expect((await runCli([`grpc://127.0.0.1:${port}`])).stderr).toMatch(
      /^bad-reply: .* answered HTTP 503, not a gRPC response\n$/,
    );
    const closed = await freePort();
    expect((await runCli([`grpc://127.0.0.1:${closed}`])).stderr).toBe(
      `refused: nothing is listening at grpc://127.0.0.1:${closed}/liveness (connection refused)\n`,
    );
    expect((await runCli(['grpc://no-such-host.invalid:50051'])).stderr).toMatch(
      /^no-host: cannot resolve the host of grpc:\/\/no-such-host\.invalid:50051\/liveness/,
    );
  });

  it('grpcs:// speaks TLS without verifying the certificate, as kubelet’s TLS mode', async () => {
    const { cert, key } = selfSignedCertificate(sandbox.dir);
    const health = new HealthImplementation({ readiness: 'SERVING' });
    const server = new grpc.Server();
    health.addToServer(server);
    const { readFileSync } = await import('node:fs');
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }]),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    cleanups.push(() => server.forceShutdown());
    expect(await runCli(['readiness', `grpcs://127.0.0.1:${port}`])).toMatchObject({ code: 0 });
    // Plaintext to a TLS port is no gRPC answer.
    expect(await runCli(['readiness', `grpc://127.0.0.1:${port}`])).toMatchObject({ code: 1 });
  });
});
