import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

let dir: string;
let socket: string;
let server: HealthServer;

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  return { out, io };
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const { out, io } = capture();
  const code = await main(argv, env, io);
  return { code, ...out };
}

beforeEach(async () => {
  dir = mkdtempSync('/tmp/hs-');
  socket = join(dir, 'h.sock');
  server = createHealthServer({ socketPath: socket })
    .addCheck('db', () => 'rows')
    .addCheck(
      'queue',
      () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5672');
      },
      { probes: ['startup'] },
    );
  await server.listen();
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('main', () => {
  it('exits 0 with one line on stdout when the probe passes', async () => {
    const result = await cli(['readiness', '-s', socket]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^healthy: readiness passed at ${socket} \\(1 check, [\\d.]+ ms\\)\\n$`));
  });

  it('finds the socket through $HEALTHSOCK_SOCKET', async () => {
    expect((await cli([], { HEALTHSOCK_SOCKET: socket })).code).toBe(0);
  });

  it('exits 1 with the unhealthy line first on stderr', async () => {
    const result = await cli(['startup', '-s', socket]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^unhealthy: startup failed at ${socket}: queue: connect ECONNREFUSED 127\\.0\\.0\\.1:5672 \\([\\d.]+ ms\\)\\n$`,
      ),
    );
  });

  it('prints nothing on success with --quiet, but still explains a failure', async () => {
    expect(await cli(['readiness', '-q', '-s', socket])).toEqual({ code: 0, stdout: '', stderr: '' });
    const failed = await cli(['startup', '-q', '-s', socket]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^unhealthy: /);
  });

  it('prints the reply as one JSON line with --json', async () => {
    const result = await cli(['startup', '--json', '-s', socket]);
    expect(result.code).toBe(1);
    const reply = JSON.parse(result.stdout);
    expect(reply).toMatchObject({ v: 1, probe: 'startup', status: 'unhealthy' });
    expect(reply.checks.map((c: { name: string }) => c.name)).toEqual(['db', 'queue']);
    expect(result.stderr).toMatch(/^unhealthy: /);
  });

  it('prints a JSON error and the classed line when there is no reply', async () => {
    const missing = join(dir, 'missing.sock');
    const result = await cli(['--json', '-s', missing]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      v: 1,
      probe: 'liveness',
      socket: missing,
      error: { code: 'no-socket', message: expect.stringContaining(missing) },
    });
    expect(result.stderr).toMatch(new RegExp(`^no-socket: no socket at ${missing}`));
  });

  it("keeps all output of a failing --json -v probe under Docker's 4096 bytes, reason first", async () => {
    const crowded = createHealthServer({ socketPath: join(dir, 'crowded.sock') });
    for (let i = 0; i < 12; i++) {
      crowded.addCheck(`依存関係-${i}`, () => {
        throw new Error('接続が拒否されました。'.repeat(12));
      });
    }
    await crowded.listen();
    try {
      const result = await cli(['readiness', '--json', '-v', '-s', crowded.socketPath]);
      expect(result.code).toBe(1);
      expect(Buffer.byteLength(result.stdout + result.stderr)).toBeLessThan(4096);
      expect(result.stderr).toMatch(/^unhealthy: readiness failed at .*: 依存関係-0: 接続が/);
      expect(JSON.parse(result.stdout).status).toBe('unhealthy');
    } finally {
      await crowded.close();
    }
  });

  it('adds a line per check with --verbose', async () => {
    const result = await cli(['startup', '-v', '-s', socket]);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^unhealthy: startup failed/),
      expect.stringMatching(/^ {2}db: healthy in [\d.]+ ms$/),
      expect.stringMatching(/^ {2}queue: unhealthy in [\d.]+ ms: connect ECONNREFUSED/),
      '',
    ]);
  });

  it('exits 1 with usage: for bad arguments, before any I/O', async () => {
    const bad = await cli(['readyness']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^usage: .*readyness/);
    const long = await cli(['-s', `/tmp/${'x'.repeat(120)}`]);
    expect(long).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^usage: socket path \/tmp\/x+ is 125 bytes; the limit is 107\n$/),
    });
  });

  it('exits 0 for --help and --version, printing on stdout', async () => {
    const help = await cli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('healthsock [probe]');
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: '0.0.0-dev\n', stderr: '' });
  });
});
