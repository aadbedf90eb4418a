import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createHealthServer, type HealthServer } from '@healthsock/server';
import { MAX_REPLY_BYTES } from '@healthsock/server/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { captureIo as capture } from '../../../test/helpers/captureIo.js';

let dir: string;
let socket: string;
let server: HealthServer;

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
      target: missing,
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

  describe('output limits, whatever the input', () => {
    /**
     * Every limit the output promises: 4096 bytes in all; each stream's first line at most 1000
     * bytes, except a --json reply, which has its own limit.
     */
    function expectWithinLimits(result: { stdout: string; stderr: string }) {
      expect(Buffer.byteLength(result.stdout + result.stderr)).toBeLessThanOrEqual(4096);
      for (const text of [result.stdout, result.stderr]) {
        const first = text.split('\n')[0] ?? '';
        const reply = first.startsWith('{') && !('error' in JSON.parse(first));
        expect(Buffer.byteLength(first)).toBeLessThanOrEqual(reply ? MAX_REPLY_BYTES : 1000);
      }
    }

    /** A foreign (or future) server on a Unix socket that answers every request with `reply`. */
    async function foreignServer(reply: string): Promise<{ path: string; close(): Promise<void> }> {
      const path = join(dir, 'foreign.sock');
      const connections = new Set<net.Socket>();
      const foreign = net.createServer((connection) => {
        connections.add(connection);
        connection.on('error', () => {});
        connection.end(reply);
      });
      await new Promise<void>((resolve) => foreign.listen(path, resolve));
      return {
        path,
        close: () => {
          for (const connection of connections) connection.destroy();
          return new Promise((resolve) => foreign.close(() => resolve()));
        },
      };
    }

    it.each(['unhealthy', 'healthy'])(
      'holds for a 24 KiB %s reply from a foreign server with --json -v',
      async (status) => {
        const checks = Array.from({ length: 40 }, (_, i) => ({
          name: `check-${i}-${'n'.repeat(200)}`,
          status,
          durationMs: 1,
          message: `line one\nline two ${'m'.repeat(300)}`,
        }));
        const reply = {
          v: 1,
          probe: 'readiness',
          status,
          durationMs: 3,
          message: 'x'.repeat(4000),
          extra: 'e'.repeat(2000),
          checks,
        };
        const line = `${JSON.stringify(reply)}\n`;
        expect(Buffer.byteLength(line)).toBeGreaterThan(24 * 1024);
        const foreign = await foreignServer(line);
        try {
          const result = await cli(['readiness', '--json', '-v', '-s', foreign.path]);
          expect(result.code).toBe(status === 'healthy' ? 0 : 1);
          expectWithinLimits(result);
          const printed = JSON.parse(result.stdout.split('\n')[0] ?? '');
          expect(printed).toMatchObject({ v: 1, probe: 'readiness', status });
          // Every line is one line: the check messages' newlines never split one.
          for (const text of result.stderr.split('\n').slice(1, -1)) expect(text).toMatch(/^ {2}(check-|\.\.\. )/);
        } finally {
          await foreign.close();
        }
      },
    );

    it.each([
      ['-s', ['-s', `/tmp/${'s'.repeat(20_000)}`]],
      ['-t', ['-t', '9'.repeat(20_000)]],
      ['the probe', ['r'.repeat(20_000)]],
      ['--max-age', ['--max-age', '9'.repeat(20_000)]],
      ['--target', ['--target', `http://${'h'.repeat(20_000)}`]],
      ['a URL', [`tcp://127.0.0.1:${'1'.repeat(20_000)}`]],
    ])('holds for a 20 KB %s argument, with --json -v too', async (_, argv) => {
      for (const extra of [[], ['--json', '-v']]) {
        const result = await cli([...argv, ...extra]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^usage: /);
        expectWithinLimits(result);
      }
    });
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
    expect(await cli(['--version'])).toEqual({
      code: 0,
      stdout: `0.0.0-dev (Node.js ${process.version})\n`,
      stderr: '',
    });
  });

  it('reports a fault of its own as internal:, on one line, exit 1, never refused:', async () => {
    const out = { stderr: '' };
    // Output that cannot be written is no verdict on the worker: the CLI's own failure.
    const io = {
      stdout: {
        write: () => {
          throw new Error('stdout closed:\nEPIPE');
        },
      },
      stderr: { write: (text: string) => (out.stderr += text) },
    };
    expect(await main(['-s', socket, '--json'], {}, io)).toBe(1);
    expect(out.stderr).toBe(`internal: unexpected error while probing ${socket}: stdout closed: EPIPE\n`);
    out.stderr = '';
    expect(await main(['--version'], {}, io)).toBe(1);
    expect(out.stderr).toBe('internal: unexpected error while probing the target: stdout closed: EPIPE\n');
  });
});
