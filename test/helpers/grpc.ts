// Clients for gRPC tests: @grpc/grpc-js with grpc-health-check's own definition of
// grpc.health.v1.Health, and a raw node:http2 call for requests no gRPC client would send.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import http2 from 'node:http2';
import grpc from '@grpc/grpc-js';
import { expect } from 'vitest';
import { run } from './processes.js';

const require = createRequire(import.meta.url);
// grpc-health-check's definition of the service (Check, Watch and List), loaded from its health.proto.
const { service: HEALTH_SERVICE } = require('grpc-health-check') as { service: grpc.ServiceDefinition };
export { HEALTH_SERVICE };

type Reply = { status: string } | { code: number; details: string };

export interface HealthClient {
  check(service: string, deadlineMs?: number): Promise<Reply>;
  list(): Promise<{ statuses: Record<string, { status: string }> } | { code: number; details: string }>;
  /** Opens a Watch; `messages` fills as statuses arrive, `ended` settles with the stream's end. */
  watch(service: string): {
    messages: string[];
    next(count: number, timeoutMs?: number): Promise<string[]>;
    ended: Promise<{ code: number; details: string }>;
    cancel(): void;
  };
  close(): void;
}

/** The reply List gives for these statuses of the three probes, as HealthClient.list resolves it. */
export function listReply(statuses: Record<'liveness' | 'readiness' | 'startup', string>) {
  return {
    statuses: Object.fromEntries(Object.entries(statuses).map(([probe, status]) => [probe, { status }])),
  };
}

/** A grpc-js client of grpc.health.v1.Health at `address` (host:port), in plaintext. */
export function healthClient(address: string, options: grpc.ChannelOptions = {}): HealthClient {
  const Client = grpc.makeGenericClientConstructor(HEALTH_SERVICE, 'Health');
  const client = new Client(address, grpc.credentials.createInsecure(), options) as grpc.Client &
    Record<string, grpc.Client['makeUnaryRequest'] & ((...args: unknown[]) => unknown)>;
  const unary = (method: 'check' | 'list', request: object, deadlineMs: number) =>
    new Promise<never>((resolve) => {
      (client[method] as (...args: unknown[]) => unknown)(
        request,
        { deadline: Date.now() + deadlineMs },
        (error: grpc.ServiceError | null, value: never) =>
          resolve((error ? { code: error.code, details: error.details } : value) as never),
      );
    });
  return {
    check: (service, deadlineMs = 5000) => unary('check', { service }, deadlineMs),
    list: () => unary('list', {}, 5000),
    watch(service) {
      const call = (client.watch as (...args: unknown[]) => grpc.ClientReadableStream<{ status: string }>)({ service });
      const messages: string[] = [];
      const waiters: (() => void)[] = [];
      call.on('data', (message: { status: string }) => {
        messages.push(message.status);
        for (const wake of waiters.splice(0)) wake();
      });
      const ended = new Promise<{ code: number; details: string }>((resolve) => {
        call.on('error', (error: grpc.ServiceError) => resolve({ code: error.code, details: error.details }));
        call.on('status', (status: grpc.StatusObject) => resolve({ code: status.code, details: status.details }));
      });
      return {
        messages,
        ended,
        cancel: () => call.cancel(),
        async next(count, timeoutMs = 5000) {
          const until = Date.now() + timeoutMs;
          while (messages.length < count) {
            if (Date.now() > until) throw new Error(`only ${messages.length} Watch messages: ${messages.join(', ')}`);
            await new Promise<void>((wake) => {
              waiters.push(wake);
              setTimeout(wake, 100);
            });
          }
          return messages.slice(0, count);
        },
      };
    },
    close: () => client.close(),
  };
}

export interface RawAnswer {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders | undefined;
  data: Buffer;
  /** `grpc-status`, from the trailers or a trailers-only answer. */
  grpcStatus: number | undefined;
  grpcMessage: string;
}

/** One HTTP/2 request to `port` on `host` with exactly these headers and body; its whole answer. */
export function rawCall(
  port: number,
  headers: http2.OutgoingHttpHeaders,
  body: Buffer | undefined,
  host = '127.0.0.1',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${host}:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ...headers });
    if (body) stream.end(body);
    else stream.end();
    let answer: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (received) => (answer = received));
    stream.on('trailers', (received) => (trailers = received));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      const status = trailers?.['grpc-status'] ?? answer['grpc-status'];
      resolve({
        headers: answer,
        trailers,
        data: Buffer.concat(chunks),
        grpcStatus: status === undefined ? undefined : Number(status),
        grpcMessage: decodeURIComponent(String(trailers?.['grpc-message'] ?? answer['grpc-message'] ?? '')),
      });
    });
  });
}

/** A gRPC message with its 5-byte prefix. */
export function framed(message: Buffer, compressed = false): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = compressed ? 1 : 0;
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** `HealthCheckRequest { service }` in protobuf, written out byte by byte. */
export function checkRequest(service: string): Buffer {
  const bytes = Buffer.from(service);
  return service === '' ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
}

export const GRPC_HEADERS = { 'content-type': 'application/grpc', te: 'trailers' } as const;

/** Debian's python3 carries python3-grpcio; a python3 first on PATH (pyenv) may not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const GRPC_HEALTH_PY = new URL('../fixtures/grpcHealth.py', import.meta.url).pathname;

/** Runs test/fixtures/grpcHealth.py (Python's grpcio) against `address`: its lines. */
export async function askWithPython(address: string): Promise<string[]> {
  const result = await run(PYTHON, [GRPC_HEALTH_PY, address]);
  expect(result.stderr).toBe('');
  return result.stdout.trim().split('\n');
}

/**
 * What grpcHealth.py prints for a server whose readiness fails: each message in hex, written out
 * by hand. List's map has one entry per probe: `0a <len> 0a <len> <name> 12 02 08 <status>`.
 */
export function pythonAnswers({ startup }: { startup: 'SERVING' | 'NOT_SERVING' }): unknown[] {
  const status = startup === 'SERVING' ? '01' : '02';
  return [
    'check - 0801',
    'check readiness 0802',
    expect.stringMatching(/^check nope NOT_FOUND unknown service "nope"/),
    // liveness, readiness, startup
    `list 0a0e0a086c6976656e657373120208010a0f0a0972656164696e657373120208020a0d0a0773746172747570120208${status}`,
    'watch 0802',
  ];
}
