// The TCP gate end to end: a real worker, a real port on 127.0.0.1, and the clients that probe TCP in
// practice: nc -z (as kubelet's tcpSocket does: connect, then close), socat, and a raw connect.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollUntil } from './helpers/time.js';

const sandbox = useSandbox();
const INTERVAL_MS = 200;

/**
 * kubelet's tcpSocket probe: connect within the timeout, then close at once without sending
 * anything. A connection reset while the gate closes its listener fails the probe as a refusal does.
 */
function tcpSocketProbe(port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.resetAndDestroy();
      resolve('open');
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? resolve('refused') : reject(error),
    );
  });
}

describe('the TCP gate', () => {
  it('listens only while its probe passes: refused within an interval of a failure, open again after recovery', async () => {
    const worker = await sandbox.worker(sandbox.socket, [{ name: 'queue', probes: ['readiness'], behaviour: 'pass' }], {
      env: {
        HS_OPTIONS: JSON.stringify({
          tcp: [{ port: 0, host: '127.0.0.1', probe: 'readiness', intervalMs: INTERVAL_MS }],
        }),
      },
    });
    expect(worker.status).toBe('listening');
    const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).tcp[0] as number;

    expect(await tcpSocketProbe(port)).toBe('open');
    expect((await run('nc', ['-z', '-w', '2', '127.0.0.1', String(port)])).code).toBe(0);
    // Accept, then close with nothing sent: what Rancher's and kubelet's TCP checks expect.
    const socat = await run('socat', ['-u', `TCP:127.0.0.1:${port}`, '-']);
    expect(socat).toMatchObject({ code: 0, stdout: '' });

    worker.send('set queue fail');
    await worker.nextLine('set');
    // Wide bound: one interval, plus the probe's evaluation, on a busy machine.
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'refused', { withinMs: INTERVAL_MS + 2000 });
    const refused = await run('nc', ['-z', '-w', '2', '127.0.0.1', String(port)]);
    expect(refused.code).toBe(1);
    expect((await run('socat', ['-u', `TCP:127.0.0.1:${port}`, '-'])).stderr).toMatch(/Connection refused/);

    worker.send('set queue pass');
    await worker.nextLine('set');
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'open', { withinMs: INTERVAL_MS + 2000 });
    expect((await run('nc', ['-z', '-w', '2', '127.0.0.1', String(port)])).code).toBe(0);
  });

  it('the .NET worker manifest: a tcpSocket liveness probe on the gate port passes and fails with the worker', async () => {
    // livenessProbe: { tcpSocket: { port: 5000 } } on a worker that meant to accept only while healthy.
    const worker = await sandbox.worker(
      sandbox.socket,
      [{ name: 'consumer', probes: ['liveness'], behaviour: 'pass' }],
      {
        env: { HS_OPTIONS: JSON.stringify({ tcp: { port: 0, host: '127.0.0.1', intervalMs: INTERVAL_MS } }) },
      },
    );
    const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).tcp[0] as number;
    expect(await tcpSocketProbe(port)).toBe('open');
    worker.send('set consumer fail');
    await worker.nextLine('set');
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'refused', { withinMs: INTERVAL_MS + 2000 });
    // The worker recovers, and so does the probe: the gate opens again on the same port.
    worker.send('set consumer pass');
    await worker.nextLine('set');
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'open', { withinMs: INTERVAL_MS + 2000 });
  });

  it('warns and keeps trying when another process took the port while the gate was closed', async () => {
    const worker = await sandbox.worker(sandbox.socket, [{ name: 'queue', behaviour: 'pass', probes: ['readiness'] }], {
      env: {
        HS_OPTIONS: JSON.stringify({
          tcp: [{ port: 0, host: '127.0.0.1', probe: 'readiness', intervalMs: INTERVAL_MS }],
        }),
      },
    });
    const port = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)).tcp[0] as number;
    worker.send('set queue fail');
    await worker.nextLine('set');
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'refused', { withinMs: INTERVAL_MS + 2000 });
    const squatter = net.createServer((socket) => socket.end('squatter\n'));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      worker.send('set queue pass');
      await worker.nextLine('set');
      await pollUntil(async () => worker.stderr().includes(`TCP gate port 127.0.0.1:${port} is in use`), {
        withinMs: 5000,
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    // Once the port is free again, the gate takes it back, and the worker never crashed.
    await pollUntil(async () => (await tcpSocketProbe(port)) === 'open', { withinMs: 5000 });
    expect(await run('socat', ['-u', `TCP:127.0.0.1:${port}`, '-'])).toMatchObject({ code: 0, stdout: '' });
    expect(worker.child.exitCode).toBeNull();
  });
});
