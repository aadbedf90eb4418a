// The CLI against its targets, where a newcomer and hostile testing found rough edges: a
// heartbeat of another probe, a forgotten scheme, a failing foreign service's body, and the
// deadline over HTTP.
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createHealthServer } from '@healthsock/server';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/processes.js';
import { listenOnFreePort } from './helpers/ports.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('a file: heartbeat that names its probe', () => {
  const path = join(dir.path, 'liveness.hb');
  writeFileSync(path, JSON.stringify({ v: 1, probe: 'liveness', status: 'healthy', durationMs: 1, checks: [] }));

  it('fails when the command names another probe, naming both', async () => {
    const result = await runCli(['readiness', `file:${path}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(`bad-reply: file:${path} holds a liveness heartbeat, not readiness`);
  });

  it("uses the file's probe when the command names none, and passes when they agree", async () => {
    expect(await runCli([`file:${path}`])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^healthy: liveness passed at file:/),
    });
    expect(await runCli(['liveness', `file:${path}`])).toMatchObject({ code: 0 });
  });
});

describe('a target without a scheme that looks like host:port', () => {
  it.each(['localhost:19000', '10.0.0.5:80', '[::1]:80'])(
    '%s is a usage error suggesting tcp:// or http://',
    async (target) => {
      const result = await runCli([target]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`usage: ${target} looks like host:port; write tcp://${target} or http://${target}\n`);
    },
  );

  it('is still a socket path when a file of that name exists', async () => {
    const cwd = dir.path;
    writeFileSync(join(cwd, 'db:5432'), '');
    expect(existsSync(join(cwd, 'db:5432'))).toBe(true);
    const { run } = await import('./helpers/processes.js');
    const { CLI_BIN } = await import('./helpers/processes.js');
    const result = await run(process.execPath, [CLI_BIN, 'db:5432'], { cwd });
    expect(result.stderr).toMatch(/^no-socket: /);
  });
});

describe('a failing foreign HTTP service', () => {
  it('shows the first line of its body with -v, filtered and cut to 200 bytes', async () => {
    const server = http.createServer((_, response) => {
      response.writeHead(503);
      response.end(`\n  \n\u001b]0;retitled\u0007database is down ${'x'.repeat(400)}\nsecond line\n`);
    });
    const port = await listenOnFreePort(server);
    try {
      const result = await runCli(['readiness', `http://127.0.0.1:${port}`, '-v']);
      expect(result.code).toBe(1);
      const [first, body, ...rest] = result.stderr.split('\n');
      expect(first).toMatch(/^unhealthy: readiness failed at http:\/\/127\.0\.0\.1:\d+\/readyz: HTTP 503/);
      expect(body).toMatch(/^ {2}body: .*database is down x+…$/);
      expect(Buffer.byteLength((body ?? '').slice('  body: '.length))).toBeLessThanOrEqual(200);
      // eslint-disable-next-line no-control-regex -- control characters are what it looks for
      expect(body).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(rest.join('')).not.toContain('second line');
      // Without -v, the one line as before.
      expect((await runCli(['readiness', `http://127.0.0.1:${port}`])).stderr.split('\n')).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});

describe('the deadline over HTTP', () => {
  it("reaches healthsock's HTTP endpoints, so a slow check is named as on the socket", async () => {
    const health = createHealthServer({ socketPath: false, http: { port: 0, host: '127.0.0.1' } }).addCheck(
      'slow',
      ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', resolve)),
      { timeoutMs: 10_000 },
    );
    await health.listen();
    try {
      const result = await runCli(['readiness', `http://127.0.0.1:${health.ports.http}`, '-t', '1500ms', '-v']);
      expect(result.code).toBe(1);
      // Not a client-side timeout: the server cut the check short within the CLI's deadline.
      expect(result.stderr).toMatch(/^unhealthy: readiness failed at http:\/\/127\.0\.0\.1:\d+\/readyz/);
      expect(result.stderr).toMatch(/slow: unhealthy in \d+ ms: timed out after \d+ ms/);
    } finally {
      await health.close();
    }
  });
});
