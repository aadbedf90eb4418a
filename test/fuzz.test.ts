// Property-based fuzzing of the protocol parser and of a live server, with fast-check.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import { parseRequest, PROBES } from '@healthsock/server/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from './helpers/exchange.js';
import { tempDir } from './helpers/processes.js';

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
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fdsAfter = readdirSync('/proc/self/fd').length;
    console.log(`open descriptors: ${fdsBefore} before, ${fdsAfter} after ${RUNS} fuzzed connections`);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
  }, 60_000);
});
