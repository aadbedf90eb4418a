import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveSocketAddress, type SocketAddress } from '@healthsock/server/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeSocket } from '../../src/targets/probeSocket.js';

let dir: string;
let path: string;
let server: net.Server | undefined;
let received: string[];
const open = new Set<net.Socket>();

beforeEach(() => {
  dir = mkdtempSync('/tmp/hs-');
  path = join(dir, 's.sock');
  received = [];
});

afterEach(async () => {
  for (const socket of open) socket.destroy();
  if (server?.listening) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in server that records the request and answers with whatever the test says. */
async function serve(answer: (socket: net.Socket) => void): Promise<void> {
  server = net.createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on('data', (chunk) => received.push(chunk.toString()));
    socket.on('error', () => {});
    answer(socket);
  });
  await new Promise<void>((resolve) => server?.listen(path, resolve));
}

function address(at = path): SocketAddress {
  const resolved = resolveSocketAddress(at);
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.address;
}

function probe(timeoutMs = 500, at = path) {
  return probeSocket({ address: address(at), probe: 'readiness', deadline: performance.now() + timeoutMs, timeoutMs });
}

const healthy = '{"v":1,"probe":"readiness","status":"healthy","durationMs":1,"checks":[]}\n';

describe('probeSocket', () => {
  it('sends the probe with the remaining deadline and resolves with the reply', async () => {
    await serve((socket) => socket.once('end', () => socket.end(healthy)));
    const reply = await probe(500);
    expect(reply).toEqual(JSON.parse(healthy));
    const request = JSON.parse(received.join(''));
    expect(request.probe).toBe('readiness');
    expect(request.timeoutMs).toBeGreaterThan(0);
    expect(request.timeoutMs).toBeLessThanOrEqual(500);
  });

  it('resolves as soon as the reply line is complete, without waiting for the close', async () => {
    await serve((socket) => socket.write(healthy));
    expect((await probe(2000)).status).toBe('healthy');
  });

  it('fails with no-socket when the path does not exist', async () => {
    await expect(probe()).rejects.toMatchObject({ code: 'no-socket', message: expect.stringContaining(path) });
  });

  it('fails with refused when a socket file is there but nobody listens', async () => {
    // A socket bound and never closed, as a killed worker leaves it.
    execFileSync('python3', [
      '-c',
      'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      join(dir, 'stale.sock'),
    ]);
    await expect(probe(500, join(dir, 'stale.sock'))).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/nothing is listening at .*stale\.sock \(a stale socket file/),
    });
  });

  it.each([
    ['a regular file', (at: string) => writeFileSync(at, ''), /is a regular file, not a socket/],
    [
      'a directory',
      (at: string) => mkdirSync(at),
      /is a directory, not a socket \(the socket path must name the socket file inside it/,
    ],
  ])('names %s at the socket path instead of calling it a stale socket', async (_, make, message) => {
    make(path);
    await expect(probe()).rejects.toMatchObject({ code: 'no-socket', message: expect.stringMatching(message) });
  });

  it('fails with no-socket for an abstract name that nobody holds', async () => {
    await expect(probe(500, `@healthsock-nobody-${process.pid}`)).rejects.toMatchObject({ code: 'no-socket' });
  });

  it('fails with timeout when the server never answers, within the deadline', async () => {
    await serve(() => {});
    const started = performance.now();
    await expect(probe(200)).rejects.toMatchObject({
      code: 'timeout',
      message: `no reply from ${path} within 200 ms (connected; the worker's event loop may be blocked)`,
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['not JSON', 'garbage\n', /unusable reply: reply is not JSON/],
    ['a closed connection', '', /closed the connection without a reply/],
    [
      'an error reply',
      '{"v":1,"error":{"code":"ERR_UNKNOWN_PROBE","message":"unknown probe"}}\n',
      /rejected the request: ERR_UNKNOWN_PROBE/,
    ],
    ['the compatibility byte', '0', /unusable reply/],
  ])('fails with bad-reply on %s', async (_, answer, message) => {
    await serve((socket) => socket.end(answer));
    await expect(probe()).rejects.toMatchObject({ code: 'bad-reply', message: expect.stringMatching(message) });
  });

  it('stops reading an oversized reply and fails with bad-reply', async () => {
    await serve((socket) => {
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    await expect(probe(5000)).rejects.toMatchObject({
      code: 'bad-reply',
      message: expect.stringMatching(/exceeds 65536 bytes/),
    });
  });
});
