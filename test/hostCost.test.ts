// What the transports cost a host that does not use them: with only the socket configured, the
// server starts no HTTP or TCP machinery, and fires no timer while idle.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const sandbox = useSandbox();
const IDLE_PROOF = fileURLToPath(new URL('../bench/host/idle.js', import.meta.url));

describe('host cost of the transports that are off', () => {
  it('a socket-only server holds only its socket: no TCP server, no timer, no node:http', async () => {
    const script = `
      import { createHook } from 'node:async_hooks';
      import net from 'node:net';
      const created = new Set();
      createHook({ init: (id, type) => created.add(type) }).enable();
      const { createHealthServer } = await import('@healthsock/server');
      const health = createHealthServer({ socketPath: ${JSON.stringify(sandbox.socket)} });
      health.addCheck('db', () => undefined);
      await health.listen();
      await new Promise((resolve) => {
        const client = net.connect(${JSON.stringify(sandbox.socket)}, () => client.write('readiness\\n'));
        client.resume();
        client.on('close', resolve);
      });
      await new Promise((resolve) => setImmediate(resolve));
      const loaded = process.moduleLoadList.filter((name) => /^NativeModule (_?https?|_http_\\w+|tls)$/.test(name));
      const resources = process.getActiveResourcesInfo();
      process.stdout.write(JSON.stringify({ resources, loaded, created: [...created] }));
      await health.close();
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    });
    expect(result.stderr).toBe('');
    const { resources, loaded, created } = JSON.parse(result.stdout);
    // Nothing it holds keeps the process alive, and it never made a TCP socket or an HTTP parser.
    expect(resources.filter((type: string) => type !== 'PipeWrap' && type !== 'TTYWrap')).toEqual([]);
    expect(created).toContain('PIPESERVERWRAP');
    expect(created.filter((type: string) => /TCP|HTTP/.test(type))).toEqual([]);
    expect(loaded).toEqual([]);
  });

  it('the idle proof: a socket-only server holds no timer and runs no callback while idle', async () => {
    const result = await run(process.execPath, [IDLE_PROOF, 'healthsock', join(sandbox.dir, 'idle.sock'), '1000']);
    expect(result.code).toBe(0);
    const proof = JSON.parse(result.stdout);
    expect(proof.timersHeld).toBe(0);
    expect(proof.callbacksRun).toEqual({});
  });
});
