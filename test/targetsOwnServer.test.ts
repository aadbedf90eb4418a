// End to end: the built CLI against healthsock's own HTTP endpoints and heartbeat file, served by
// a real worker process from the same registry as its socket.
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollUntil } from './helpers/time.js';

const sandbox = useSandbox();

/** A worker with HTTP endpoints on a port the system picks, and a heartbeat file; returns both. */
async function worker(behaviour: 'pass' | 'fail') {
  const heartbeat = join(sandbox.dir, 'heartbeat');
  const started = await sandbox.worker(
    sandbox.socket,
    [
      { name: 'db', behaviour: 'pass' },
      { name: 'consumer', probes: ['liveness'], behaviour },
      { name: 'broker', probes: ['readiness'], behaviour },
    ],
    {
      env: {
        HS_OPTIONS: JSON.stringify({
          http: { port: 0, host: '127.0.0.1' },
          heartbeat: { path: heartbeat, intervalMs: 200 },
        }),
      },
    },
  );
  expect(started.status).toBe('listening');
  const ports = JSON.parse((await started.nextLine('ports')).slice('ports '.length)) as { http: number };
  return { worker: started, url: `http://127.0.0.1:${ports.http}`, heartbeat };
}

describe("healthsock against healthsock's own HTTP endpoints", () => {
  it('passes each probe on its default path, as the socket does', async () => {
    const { url } = await worker('pass');
    for (const [probe, path] of [
      ['liveness', '/livez'],
      ['readiness', '/readyz'],
      ['startup', '/startupz'],
    ]) {
      const result = await runCli([probe as string, url]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^healthy: ${probe} passed at ${url}${path} \\(HTTP 200 OK`));
    }
  });

  it('fails with unhealthy: and shows the failing check with -v and --json, through ?format=json', async () => {
    const { url } = await worker('fail');
    const plain = await runCli(['readiness', url]);
    expect(plain).toMatchObject({ code: 1, stdout: '' });
    expect(plain.stderr).toMatch(
      new RegExp(`^unhealthy: readiness failed at ${url}/readyz: HTTP 503 Service Unavailable`),
    );
    const verbose = await runCli(['readiness', '-v', url]);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^unhealthy: readiness failed at .*: broker: broker is down/);
    expect(verbose.stderr).toMatch(/\n {2}broker: unhealthy in [\d.]+ ms: broker is down\n/);
    const json = await runCli(['readiness', '--json', url]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      probe: 'readiness',
      status: 'unhealthy',
      checks: expect.arrayContaining([expect.objectContaining({ name: 'broker', status: 'unhealthy' })]),
    });
  });

  it('sends X-Probe on a path of its own: /health answers the probe named', async () => {
    const { url } = await worker('fail');
    expect((await runCli(['liveness', `${url}/health`])).code).toBe(1);
    expect((await runCli(['startup', `${url}/health`])).code).toBe(0);
  });
});

describe("healthsock against healthsock's own heartbeat file", () => {
  it('passes while the worker writes it and shows its reply with -v', async () => {
    const { heartbeat } = await worker('pass');
    await pollUntil(() => existsSync(heartbeat));
    const result = await runCli(['-v', `file:${heartbeat}`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      new RegExp(`^healthy: liveness passed at file:${heartbeat} \\(heartbeat is [\\d.]+ s old \\(max 15 s\\)`),
    );
    expect(result.stdout).toMatch(/\n {2}consumer: healthy in [\d.]+ ms\n/);
  });

  it('fails with no-file: once a failing worker has removed it, and unhealthy: when it went stale', async () => {
    const { worker: started, heartbeat } = await worker('pass');
    await pollUntil(() => existsSync(heartbeat));
    started.send('set consumer fail');
    await started.nextLine('set');
    await pollUntil(() => !existsSync(heartbeat));
    const missing = await runCli([`file:${heartbeat}`]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^no-file: no file at file:/) });

    started.send('set consumer pass');
    await started.nextLine('set');
    await pollUntil(() => existsSync(heartbeat));
    // A worker whose event loop stopped writes no heartbeat: the file ages past --max-age.
    // Longer than a slow CLI start, so that no heartbeat is written before the CLI reads the file.
    started.send('block 10000');
    await started.nextLine('blocking');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(heartbeat, minuteAgo, minuteAgo);
    const stale = await runCli([`file:${heartbeat}`, '--max-age', '10s']);
    expect(stale).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^unhealthy: .*heartbeat is 6\d s old \(max 10 s\)/),
    });
  });
});
