import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeRequest } from '../src/wire/parseRequest.js';
import { ConnectionPool } from '../src/transports/net/ConnectionPool.js';
import { lineGoodbye } from '../src/transports/uds/lineGoodbye.js';
import { serveConnection } from '../src/transports/uds/serveConnection.js';
import { exchangeReply as exchange } from '../../../test/helpers/exchange.js';
import { sleep } from '../../../test/helpers/time.js';

let dir: string;
let path: string;
let server: net.Server;
let requests: ProbeRequest[];

beforeEach(async () => {
  dir = mkdtempSync('/tmp/hs-');
  path = join(dir, 's.sock');
  requests = [];
  const pool = new ConnectionPool({ maxConnections: 10, idleTimeoutMs: 300 });
  server = await pool.createServer({
    serve: (connection) =>
      serveConnection(connection, async (request) => {
        requests.push(request);
        return request.format === 'byte' ? '0' : `answer ${request.probe}\n`;
      }),
    goodbye: lineGoodbye,
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('serveConnection', () => {
  it('answers one request line and closes', async () => {
    expect(await exchange(path, 'readiness\n')).toBe('answer readiness\n');
    expect(requests).toEqual([{ probe: 'readiness', format: 'json' }]);
  });

  it('answers a request split over several writes', async () => {
    const socket = net.connect(path);
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.write('{"probe":"sta');
    await sleep(20);
    socket.write('rtup"}\n');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(reply).toBe('answer startup\n');
  });

  it('answers hc without a newline, while the client keeps its side open', async () => {
    expect(await exchange(path, 'hc')).toBe('0');
    expect(requests).toEqual([{ probe: 'liveness', format: 'byte' }]);
  });

  it('answers a request without a newline when the client half-closes', async () => {
    expect(await exchange(path, 'liveness', { halfClose: true })).toBe('answer liveness\n');
  });

  it('refuses a request over 4 KiB without waiting for its end', async () => {
    const reply = JSON.parse(await exchange(path, 'x'.repeat(5000)));
    expect(reply).toEqual({
      v: 1,
      error: { code: 'ERR_REQUEST_TOO_LARGE', message: 'request line exceeds 4096 bytes' },
    });
    expect(requests).toEqual([]);
  });

  it('accepts a line of exactly 4096 bytes', async () => {
    const line = `{"probe":"liveness","pad":"${'p'.repeat(4096 - 29)}"}`;
    expect(Buffer.byteLength(line)).toBe(4096);
    expect(await exchange(path, `${line}\n`)).toBe('answer liveness\n');
    expect(JSON.parse(await exchange(path, `${line} \n`)).error.code).toBe('ERR_REQUEST_TOO_LARGE');
  });

  it('answers garbage with a JSON error', async () => {
    const reply = JSON.parse(await exchange(path, Buffer.from([0xff, 0xfe, 0x00, 0x0a])));
    expect(reply.error.code).toBe('ERR_UNKNOWN_PROBE');
  });

  it('closes a connection that sends nothing, after the idle timeout', async () => {
    const started = Date.now();
    const reply = JSON.parse(await exchange(path, ''));
    expect(reply.error.code).toBe('ERR_REQUEST_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('keeps serving after a client vanishes mid-request', async () => {
    const socket = net.connect(path);
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('readi');
    socket.destroy();
    expect(await exchange(path, 'liveness\n')).toBe('answer liveness\n');
  });
});
