import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../src/transports/net/ConnectionPool.js';
import { sleep } from '../../../test/helpers/time.js';

const IDLE_MS = 300;

let dir: string;
let path: string;
let server: net.Server;

/** A client that records what it reads and when the server closes it, in ms since it connected. */
async function connect(): Promise<{ socket: net.Socket; read: () => string; closedAfter: Promise<number> }> {
  const socket = net.connect(path);
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  await new Promise((resolve) => socket.once('connect', resolve));
  const connectedAt = Date.now();
  const closedAfter = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - connectedAt)));
  return { socket, read: () => text, closedAfter };
}

beforeEach(async () => {
  dir = mkdtempSync('/tmp/hs-');
  path = join(dir, 's.sock');
  const pool = new ConnectionPool({ maxConnections: 10, idleTimeoutMs: IDLE_MS });
  server = await pool.createServer({
    // A request is any byte; it is never answered, so only the pool or the client closes a connection.
    serve: ({ socket, requestReceived }) => {
      socket.once('data', () => requestReceived());
      socket.on('end', () => socket.destroy());
    },
    goodbye: (goodbye) => `goodbye: ${goodbye.reason}\n`,
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('ConnectionPool idle limit', () => {
  it('closes each silent connection at its own idle limit, not at the oldest one’s', async () => {
    const first = await connect();
    await sleep(IDLE_MS / 2);
    const second = await connect();
    expect(await first.closedAfter).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(first.read()).toBe('goodbye: idle\n');
    // The second came half a limit later: it is still open when the first is closed.
    expect(second.socket.destroyed).toBe(false);
    expect(second.read()).toBe('');
    expect(await second.closedAfter).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(second.read()).toBe('goodbye: idle\n');
  });

  it('never closes a connection whose request has arrived, however long its answer takes', async () => {
    const silent = await connect();
    const asked = await connect();
    asked.socket.write('x');
    await silent.closedAfter;
    await sleep(IDLE_MS);
    expect(asked.socket.destroyed).toBe(false);
    expect(asked.read()).toBe('');
    asked.socket.destroy();
  });

  it('keeps closing silent connections that come after the others were closed', async () => {
    for (let round = 0; round < 2; round++) {
      const client = await connect();
      expect(await client.closedAfter).toBeGreaterThanOrEqual(IDLE_MS - 50);
      expect(client.read()).toBe('goodbye: idle\n');
    }
  });
});
