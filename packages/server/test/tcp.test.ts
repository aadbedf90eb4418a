import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcp } from '../src/checks/tcp.js';
import { listenOnFreePort } from '../../../test/helpers/ports.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(): Promise<number> {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  return listenOnFreePort(server);
}

const run = (check: ReturnType<typeof tcp>, signal = new AbortController().signal) =>
  Promise.resolve(check({ signal, probe: 'readiness' }));

describe('checks.tcp', () => {
  it('resolves when a connection opens', async () => {
    await expect(run(tcp({ host: '127.0.0.1', port: await listen() }))).resolves.toBeUndefined();
  });

  it('rejects in words when nothing listens', async () => {
    const port = await listen();
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(run(tcp({ host: '127.0.0.1', port }))).rejects.toThrow(
      `connection refused by 127.0.0.1:${port}: nothing listens there (ECONNREFUSED)`,
    );
  });

  it('rejects at once with the abort reason when its signal has already aborted', async () => {
    const reason = new Error('out of time');
    await expect(run(tcp({ host: '127.0.0.1', port: 1 }), AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects bad options', () => {
    expect(() => tcp({ host: '', port: 5672 })).toThrow(/checks\.tcp: host must be a non-empty string, got ""/);
    expect(() => tcp({ host: 'db', port: 70000 })).toThrow(/port is 70000/);
    expect(() => tcp({ host: 'db', port: 1.5 })).toThrow(/port must be an integer, got 1.5/);
  });
});
