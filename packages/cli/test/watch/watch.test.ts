// watch() against real targets of every kind, in-process: a worker's socket, an HTTP server, a
// TCP port and a heartbeat file, each flipped between passing and failing while watched.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { createHealthServer } from '@healthsock/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/parseArgs.js';
import { parseTarget } from '../../src/targets/parseTarget.js';
import { probeTarget } from '../../src/targets/probeTarget.js';
import { watch } from '../../src/watch/watch.js';
import { pollFor, sleep } from '../../../../test/helpers/time.js';

let dir: string;
const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  dir = mkdtempSync('/tmp/hs-');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a watch with a captured stdout; `until` waits for output to match. */
function startWatch(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false, columns: 100 },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const done = watch(argv, options.env ?? {}, io, { parseArgs, parseTarget, probeTarget }, controller.signal);
  const until = async (pattern: { test(text: string): boolean }) => {
    const seen = await pollFor(
      () => stdout,
      (text) => pattern.test(text),
      { withinMs: 5000, everyMs: 20 },
    );
    if (!pattern.test(seen)) throw new Error(`no ${pattern} in ${JSON.stringify(stdout)} ${stderr}`);
  };
  return {
    until,
    output: () => stdout,
    lines: () => stdout.split('\n').filter(Boolean),
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

describe('healthsock --watch, piped: one line per change', () => {
  it("on a worker's socket: a line per row at the start, then one per change of the probe and of the check", async () => {
    let up = true;
    const socket = join(dir, 'h.sock');
    const health = createHealthServer({ socketPath: socket }).addCheck('db', () => {
      if (!up) throw new Error('db is down');
    });
    await health.listen();
    cleanups.push(() => health.close());
    const watching = startWatch(['readiness', socket, '--watch', '100ms']);
    await watching.until(/db healthy/);
    await sleep(300); // several asks: no change, no line
    up = false;
    await watching.until(/db unhealthy \(was healthy\) in [\d.]+ ms: db is down/);
    await sleep(300);
    up = true;
    await watching.until(/db healthy \(was unhealthy\)/);
    expect(await watching.stop()).toBe(0);
    expect(watching.lines().map((line) => line.replace(/^\S+ /, '').replace(/ in [\d.]+ ms/, ''))).toEqual([
      'readiness healthy',
      'db healthy',
      'readiness unhealthy (was healthy)',
      'db unhealthy (was healthy): db is down',
      'readiness healthy (was unhealthy)',
      'db healthy (was unhealthy)',
    ]);
    expect(watching.lines()[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z readiness healthy/);
  });

  it('on an HTTP URL', async () => {
    let status = 200;
    const server = createHttpServer((request, response) => response.writeHead(status).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as net.AddressInfo;
    const watching = startWatch(['readiness', `http://127.0.0.1:${port}`, '--watch', '100ms']);
    await watching.until(/readiness healthy/);
    status = 503;
    await watching.until(/readiness unhealthy \(was healthy\)/);
    expect(await watching.stop()).toBe(0);
    expect(watching.lines()).toHaveLength(2);
  });

  it('on a TCP port, including a failure class when nothing answers', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const watching = startWatch([`tcp://127.0.0.1:${port}`, '--watch', '100ms']);
    await watching.until(/liveness healthy/);
    await new Promise((resolve) => server.close(resolve));
    await watching.until(/liveness refused \(was healthy\)/);
    expect(await watching.stop()).toBe(0);
    expect(watching.lines()).toHaveLength(2);
  });

  it('on a heartbeat file', async () => {
    const file = join(dir, 'heartbeat');
    writeFileSync(file, 'ok');
    const watching = startWatch([`file:${file}`, '--watch=100ms']);
    await watching.until(/liveness healthy/);
    unlinkSync(file);
    await watching.until(/liveness no-file \(was healthy\)/);
    expect(await watching.stop()).toBe(0);
    expect(watching.lines()).toHaveLength(2);
  });
});

describe('healthsock --watch on a terminal', () => {
  it('redraws the table in place, in colour unless NO_COLOR is set', async () => {
    const socket = join(dir, 'h.sock');
    const health = createHealthServer({ socketPath: socket }).addCheck('db', () => ({
      status: 'degraded',
      message: 'slow',
    }));
    await health.listen();
    cleanups.push(() => health.close());
    for (const [env, coloured] of [
      [{}, true],
      [{ NO_COLOR: '1' }, false],
    ] as const) {
      const watching = startWatch(['readiness', socket, '--watch', '100ms'], { tty: true, env });
      // Three drawings: header, probe and check each time, the later ones after moving up over the last.
      const redraw = '\x1b[3F\x1b[J';
      await watching.until({ test: (output: string) => output.split(redraw).length > 2 });
      expect(await watching.stop()).toBe(0);
      const output = watching.output();
      expect(output.startsWith('\x1b[Jhealthsock readiness at ')).toBe(true);
      expect(output).toMatch(/every 0\.1s \(Ctrl-C to stop\)/);
      expect(output.includes('\x1b[33mdegraded')).toBe(coloured);
      expect(output).toMatch(/ {2}db {7}.*degraded.*ms {2}for \d+s +slow/);
    }
  });
});

it('returns 1 with a usage line for a bad command line, before asking anything', async () => {
  const watching = startWatch(['nonsense-probe', '--watch']);
  expect(await watching.stop()).toBe(1);
});
