// health.grpcHealthService on an application's own @grpc/grpc-js server, next to the
// application's own service: the same Check, Watch and List as the gRPC transport, for
// grpc-health-check's client definition.
import grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer } from '@healthsock/server';
import { askWithPython, healthClient, listReply, pythonAnswers } from './helpers/grpc.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The application's own service: one unary method whose messages are UTF-8 text. */
const text = { serialize: (value: string) => Buffer.from(value), deserialize: (bytes: Buffer) => bytes.toString() };
const GREETER: grpc.ServiceDefinition = {
  greet: {
    path: '/app.Greeter/Greet',
    requestStream: false,
    responseStream: false,
    requestSerialize: text.serialize,
    requestDeserialize: text.deserialize,
    responseSerialize: text.serialize,
    responseDeserialize: text.deserialize,
  },
};

async function appServer() {
  let up = true;
  const health = createHealthServer({ socketPath: false, grpc: { port: 0, intervalMs: 100 } });
  health.addCheck('db', () => {
    if (!up) throw new Error('db is down');
  });
  const server = new grpc.Server();
  server.addService(GREETER, {
    greet: (call: grpc.ServerUnaryCall<string, string>, callback: grpc.sendUnaryData<string>) =>
      callback(null, `hello ${call.request}`),
  });
  // The whole adapter: one line, typed against grpc-js's own declarations.
  server.addService(health.grpcHealthService.definition, health.grpcHealthService.implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  cleanups.push(() => server.forceShutdown());
  cleanups.push(() => health.close());
  const client = healthClient(`127.0.0.1:${port}`);
  cleanups.push(() => client.close());
  return { health, port, client, setUp: (value: boolean) => (up = value) };
}

describe('the grpc-js adapter', () => {
  it('answers Check for each service and List, while the application’s own service answers too', async () => {
    const { client, port, setUp } = await appServer();
    const Greeter = grpc.makeGenericClientConstructor(GREETER, 'Greeter');
    const greeter = new Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    cleanups.push(() => greeter.close());
    const greeting = await new Promise((resolve, reject) =>
      (greeter as unknown as Record<string, (...args: unknown[]) => void>).greet?.(
        'world',
        (error: Error | null, value: string) => (error ? reject(error) : resolve(value)),
      ),
    );
    expect(greeting).toBe('hello world');
    expect(await client.check('')).toEqual({ status: 'SERVING' });
    expect(await client.check('readiness/db')).toEqual({ status: 'SERVING' });
    setUp(false);
    expect(await client.check('readiness')).toEqual({ status: 'NOT_SERVING' });
    expect(await client.check('liveness')).toEqual({ status: 'SERVING' });
    expect(await client.check('nope')).toMatchObject({ code: 5, details: expect.stringContaining('unknown service') });
    expect(await client.list()).toEqual(
      listReply({ liveness: 'SERVING', readiness: 'NOT_SERVING', startup: 'NOT_SERVING' }),
    );
  });

  it('answers Python’s grpcio through raw calls: Check, List and Watch', async () => {
    const { port, setUp } = await appServer();
    setUp(false);
    // The check belongs to startup too here, and startup has not passed yet.
    expect(await askWithPython(`127.0.0.1:${port}`)).toEqual(pythonAnswers({ startup: 'NOT_SERVING' }));
  });

  it('Watch follows readiness by itself, and health.close() ends the stream with UNAVAILABLE', async () => {
    const { client, health, setUp } = await appServer();
    const changes: string[] = [];
    health.on('change', (event) => changes.push(`${event.probe} ${event.to}`));
    const watch = client.watch('readiness');
    expect(await watch.next(1)).toEqual(['SERVING']);
    setUp(false);
    expect(await watch.next(2)).toEqual(['SERVING', 'NOT_SERVING']);
    expect(changes).toEqual(['readiness unhealthy']);
    const unknown = client.watch('nope');
    expect(await unknown.next(1)).toEqual(['SERVICE_UNKNOWN']);
    await health.close();
    expect((await watch.ended).code).toBe(14);
    expect((await unknown.ended).code).toBe(14);
  });

  it('takes the deadline from the call: a hanging check fails within it', async () => {
    const health = createHealthServer({ socketPath: false });
    health.addCheck('slow', ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', resolve)), {
      timeoutMs: 30_000,
    });
    const server = new grpc.Server();
    server.addService(health.grpcHealthService.definition, health.grpcHealthService.implementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    cleanups.push(() => server.forceShutdown());
    const client = healthClient(`127.0.0.1:${port}`);
    cleanups.push(() => client.close());
    expect(await client.check('readiness', 1500)).toEqual({ status: 'NOT_SERVING' });
  });
});
