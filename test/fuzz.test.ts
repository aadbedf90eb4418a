// Property-based fuzzing of the protocol parser and of a live server, with fast-check.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@healthsock/cli';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import { parseReply, PROBES, STATUSES, type ProbeReply } from '@healthsock/server/protocol';
// Parsing a request is the server's side of the protocol, not in the client's entry point.
import { parseRequest } from '../packages/server/src/wire/parseRequest.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from './helpers/exchange.js';
import { tempDir } from './helpers/processes.js';
import { sleep } from './helpers/time.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ERROR_CODES = ['ERR_INVALID_REQUEST', 'ERR_UNKNOWN_PROBE', 'ERR_UNSUPPORTED_VERSION'];

/** Lines that look like requests often enough to reach the parser's every branch. */
const requestLike = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(...PROBES, 'hc', '', ' ', '{', '{}', 'null', '[]'),
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        v: fc.oneof(fc.constant(1), fc.jsonValue()),
        probe: fc.oneof(fc.constantFrom(...PROBES), fc.jsonValue()),
        timeoutMs: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((request) => JSON.stringify(request)),
);

describe('parseRequest, fuzzed', () => {
  it(`never throws, and answers every line with a request or a known error (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(requestLike, (line) => {
        const parsed = parseRequest(line);
        if (parsed.ok) {
          expect(PROBES).toContain(parsed.request.probe);
          if (parsed.request.timeoutMs !== undefined) expect(parsed.request.timeoutMs).toBeGreaterThan(0);
        } else {
          expect(ERROR_CODES).toContain(parsed.error.code);
          expect(parsed.error.message.length).toBeLessThan(400);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reads back every valid JSON request', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROBES), fc.integer({ min: 1, max: 3_600_000 }), (probe, timeoutMs) => {
        expect(parseRequest(JSON.stringify({ probe, timeoutMs }))).toEqual({
          ok: true,
          request: { probe, timeoutMs, format: 'json' },
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a live server, fuzzed', () => {
  let dir: ReturnType<typeof tempDir>;
  let socket: string;
  let server: HealthServer;

  beforeAll(async () => {
    dir = tempDir();
    socket = join(dir.path, 'fuzz.sock');
    server = createHealthServer({ socketPath: socket, idleTimeoutMs: 200 }).addCheck('db', () => 'ok');
    await server.listen();
  });

  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const send = async (bytes: Uint8Array) => (await exchange(socket, bytes, { halfClose: true })).reply;

  it(`answers any bytes with one reply and a close, and leaks no descriptor (${RUNS} cases)`, async () => {
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ minLength: 4000, maxLength: 5000 }),
      requestLike.map((line) => new TextEncoder().encode(`${line}\n`)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (request) => {
        const reply = await send(request);
        if (reply === '0' || reply === '1') return;
        expect(reply.endsWith('\n')).toBe(true);
        const parsed = JSON.parse(reply);
        expect(parsed.v).toBe(1);
        expect(parsed.status ?? parsed.error.code).toBeTypeOf('string');
      }),
      { numRuns: RUNS },
    );
    const reply = await send(new TextEncoder().encode('readiness\n'));
    expect(JSON.parse(reply)).toMatchObject({ probe: 'readiness', status: 'healthy' });
    await sleep(50);
    const fdsAfter = readdirSync('/proc/self/fd').length;
    console.log(`open descriptors: ${fdsBefore} before, ${fdsAfter} after ${RUNS} fuzzed connections`);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
  }, 60_000);
});

/** A getter that throws `thrown` when `key` is read. */
const throwingGetter = (key: string | symbol, thrown: unknown) =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw thrown;
    },
  });

/** A Proxy every trap of which throws, and a revoked one: even `typeof`-safe code trips on them. */
const hostileProxy = (thrown: unknown) =>
  new Proxy(
    {},
    Object.fromEntries(
      ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'apply'].map((trap) => [
        trap,
        () => {
          throw thrown;
        },
      ]),
    ),
  );
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

/**
 * Whatever JavaScript can throw or return, leaning on what broke replies before. Each case is a
 * function that makes the value, because fast-check itself would trip on a hostile Proxy.
 */
const plainValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
type Make = () => unknown;
const hostileValue: fc.Arbitrary<Make> = fc.oneof(
  plainValue.map((value) => () => value),
  fc
    .record({ message: plainValue, name: plainValue }, { requiredKeys: [] })
    .map((fields) => () => Object.assign(new Error('placeholder'), fields)),
  fc
    .tuple(
      fc.constantFrom<string | symbol>(
        'message',
        'name',
        'status',
        'data',
        'then',
        'toJSON',
        'toString',
        Symbol.toPrimitive,
      ),
      plainValue,
    )
    .map(
      ([key, thrown]) =>
        () =>
          throwingGetter(key, thrown),
    ),
  plainValue.map((thrown) => () => hostileProxy(thrown)),
  fc.constant(revokedProxy),
  fc.string().map((description) => () => Symbol(description)),
  fc.string().map((text) => () => ({ message: `${text}\n${text}\r\n\u2028${text}` })),
  fc.constant(() => {
    const cyclic: Record<string, unknown> = { status: 'degraded' };
    cyclic.data = cyclic;
    cyclic.message = cyclic;
    return cyclic;
  }),
  fc.constant(() => () => 'a function'),
);
/** Explicit results, some valid, some not, with hostile messages and data. */
const resultValue: fc.Arbitrary<Make> = fc
  .record(
    {
      status: fc.oneof(fc.constantFrom(...STATUSES, 'fine'), plainValue),
      message: fc.oneof(
        fc.string().map((text) => () => text),
        hostileValue,
      ),
      data: hostileValue,
    },
    { requiredKeys: ['status'] },
  )
  .map(({ status, message, data }) => () => ({
    status,
    ...(message ? { message: message() } : {}),
    ...(data ? { data: data() } : {}),
  }));
const checkValue = fc.oneof(hostileValue, resultValue);

describe('checks that throw and return anything, fuzzed', () => {
  let dir: ReturnType<typeof tempDir>;
  let socket: string;
  let server: HealthServer;
  let value: unknown;

  beforeAll(async () => {
    dir = tempDir();
    socket = join(dir.path, 'checks.sock');
    const both = { probes: ['readiness', 'liveness'] as const, timeoutMs: 1000 };
    const readiness = { probes: ['readiness'] as const, timeoutMs: 1000 };
    server = createHealthServer({ socketPath: socket })
      .addCheck(
        'thrown',
        () => {
          throw value;
        },
        readiness,
      )
      .addCheck('rejected', () => Promise.reject(value), readiness)
      .addCheck('returned', () => value, both)
      .addCheck('resolved', () => Promise.resolve(value), both)
      .addCheck('fine', () => undefined, both);
    await server.listen();
  });

  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  /** Runs the CLI's own main() against the live server, as kubelet's exec probe would. */
  const probe = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    };
    const code = await main([...args, '-s', socket, '-t', '5s'], {}, io);
    return { code, stdout, stderr };
  };

  it(`keeps every check in a reply the CLI accepts, and a thrown value unhealthy with a one-line message (${RUNS / 10} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(checkValue, async (make) => {
        value = make();
        const { code, stdout, stderr } = await probe(['readiness', '--json']);
        expect(code).toBe(1);
        // The reason line comes first, alone, and names the probe's failure rather than a bad reply.
        expect(stderr).toMatch(/^unhealthy: readiness failed at [^\n]*\n$/);
        const parsed = parseReply(stdout.trimEnd());
        expect(parsed.ok).toBe(true);
        const reply = (parsed as { reply: ProbeReply }).reply;
        expect(reply.checks.map((check) => check.name)).toEqual(['thrown', 'rejected', 'returned', 'resolved', 'fine']);
        const [thrown, rejected, , , fine] = reply.checks;
        for (const check of [thrown, rejected]) {
          expect(check?.status).toBe('unhealthy');
          expect(check?.message).toMatch(/^\S/);
        }
        expect(fine?.status).toBe('healthy');
        for (const check of reply.checks) {
          if (check.message !== undefined) {
            expect(check.message).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
            expect(check.message.length).toBeLessThanOrEqual(200);
          }
        }
      }),
      { numRuns: RUNS / 10 },
    );
  }, 120_000);

  it(`prints exactly one line, pass or fail, whatever checks return (${RUNS / 10} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(checkValue, async (make) => {
        value = make();
        const { code, stdout, stderr } = await probe(['liveness']);
        const output = code === 0 ? stdout : stderr;
        expect(code === 0 ? stderr : stdout).toBe('');
        expect(output).toMatch(/^(healthy|degraded|unhealthy): liveness (passed|failed) at [^\n]*\n$/);
      }),
      { numRuns: RUNS / 10 },
    );
  }, 120_000);
});
