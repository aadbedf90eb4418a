// End to end: the built CLI against servers this project did not write (Python's http.server,
// socat, a listener whose backlog is full), and heartbeat files, as an exec probe would run it.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_HTTP, FULL_BACKLOG, startForeign, startSocat, type Foreign } from './helpers/foreign.js';
import { freePort } from './helpers/ports.js';
import { CLI_BIN, CLI_UNDER_TEST, childEnv, cliCommand, run, runCli, tempDir } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { selfSignedCertificate } from './helpers/selfSignedCertificate.js';

const sandbox = useSandbox();
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function foreign(start: Promise<Foreign>): Promise<Foreign> {
  const started = await start;
  stops.push(started.stop);
  return started;
}

describe('http:// targets against Python http.server', () => {
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${(await foreign(startForeign('python3', [FOREIGN_HTTP, '127.0.0.1']))).port}`;
  });

  it.each([
    ['liveness', '/livez'],
    ['readiness', '/readyz'],
    ['startup', '/startupz'],
  ])('asks %s at %s when the URL has no path', async (probe, path) => {
    const result = await runCli([probe, base]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      new RegExp(`^healthy: ${probe} passed at ${base}${path} \\(HTTP 200 OK, [\\d.]+ ms\\)\\n$`),
    );
  });

  it.each([
    ['204', '/nocontent', /\(HTTP 204 No Content, /],
    ['301 to 200, followed', '/moved', /\(HTTP 200 OK after 1 redirect, /],
    [
      '302 to another host, not followed',
      '/away',
      /\(HTTP 302 Found to http:\/\/127\.0\.0\.2:\d+: another host, not followed/,
    ],
    ['a body of 1 MiB, read only in part', '/big', /\(HTTP 200 OK, /],
  ])('passes on %s', async (_, path, line) => {
    const result = await runCli([`${base}${path}`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(line);
  });

  it.each([
    ['404', '/missing', 'HTTP 404 Not Found'],
    ['500, without its HTML body', '/error', 'HTTP 500 Internal Server Error'],
    [
      '503 with the Kubernetes verbose body',
      '/unavailable',
      'HTTP 503 Service Unavailable: [-]db failed: reason withheld',
    ],
    ['a redirect loop', '/loop', 'HTTP 302 Found: stopped after 10 redirects'],
  ])('fails with unhealthy: on %s', async (_, path, reason) => {
    const result = await runCli([`${base}${path}`]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`unhealthy: liveness failed at ${base}${path}: ${reason}\n`);
  });

  it("sends kubelet's headers, with X-Probe naming the probe, for a path given in the URL", async () => {
    for (const probe of ['liveness', 'readiness', 'startup']) {
      expect(await runCli([probe, `${base}/headers?expect=${probe}`])).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it('fails with timeout: when the server accepts but never answers, within the deadline', async () => {
    const result = await runCli(['-t', '500ms', `${base}/hang`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`timeout: no response from ${base}/hang within 500 ms (connected)\n`);
    expect(result.elapsedMs).toBeLessThan(500 + 3000);
  });

  it('fails with bad-reply: when the server closes mid-headers', async () => {
    const result = await runCli([`${base}/half`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^bad-reply: ${base}/half closed or broke the connection before a complete answer`),
    );
  });

  it('fails with bad-reply: when the server breaks off the body', async () => {
    const result = await runCli([`${base}/cut`]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `bad-reply: ${base}/cut broke off its response after 10 bytes of body\n`,
    });
  });

  it('shows the checks of a healthsock-format reply with -v and --json, asking for ?format=json', async () => {
    const plain = await runCli(['readiness', `${base}/healthsock`]);
    expect(plain.stderr).toMatch(/: HTTP 503 Service Unavailable: \[-\]broker failed: reason withheld\n$/);
    const verbose = await runCli(['readiness', '-v', `${base}/healthsock`]);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n')).toEqual([
      expect.stringMatching(/^unhealthy: readiness failed at .*\/healthsock: broker: connect ECONNREFUSED/),
      '  db: healthy in 1.0 ms',
      '  broker: unhealthy in 1.5 ms: connect ECONNREFUSED',
      '',
    ]);
    const json = await runCli(['readiness', '--json', `${base}/healthsock`]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'unhealthy',
      checks: [{ name: 'db' }, { name: 'broker' }],
    });
  });

  it('fails with refused: when nothing listens on the port', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(['readiness', url]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `refused: nothing is listening at ${url}/readyz (connection refused)\n`,
    });
  });

  it('fails with no-host: for a host name that does not resolve', async () => {
    const result = await runCli(['-t', '5s', 'http://healthsock-no-such-host.invalid:8080/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^no-host: cannot resolve the host of http:\/\/healthsock-no-such-host\.invalid:8080\/livez/,
    );
  });

  it('never goes through a proxy from the environment, even a dead one', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const proxies = { HTTP_PROXY: dead, http_proxy: dead, HTTPS_PROXY: dead, https_proxy: dead, ALL_PROXY: dead };
    const result = await runCli([base], { env: childEnv({ ...proxies, NODE_USE_ENV_PROXY: '1' }) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('https:// and IPv6 targets', () => {
  it('probes a TLS server with a self-signed certificate, unverified as kubelet does', async () => {
    const dir = sandbox.dir;
    const { cert, key } = selfSignedCertificate(dir);
    const { port } = await foreign(startForeign('python3', [FOREIGN_HTTP, '127.0.0.1', cert, key]));
    const ok = await runCli(['readiness', `https://localhost:${port}`]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(
      new RegExp(`^healthy: readiness passed at https://localhost:${port}/readyz \\(HTTP 200 OK`),
    );
    const failing = await runCli([`https://127.0.0.1:${port}/unavailable`]);
    expect(failing.stderr).toMatch(/^unhealthy: .*HTTP 503 Service Unavailable/);
    // Plain HTTP to the TLS port is answered with something that is not HTTP.
    expect((await runCli([`http://127.0.0.1:${port}/`])).code).toBe(1);
  });

  it('probes an HTTP server on the IPv6 loopback', async () => {
    const { port } = await foreign(startForeign('python3', [FOREIGN_HTTP, '::1']));
    const result = await runCli([`http://[::1]:${port}`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^healthy: liveness passed at http://\\[::1\\]:${port}/livez `));
  });
});

describe('tcp:// targets', () => {
  it('passes when a socat listener accepts, on IPv4 and IPv6', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const { port } = await foreign(startSocat(host, 'SYSTEM:true'));
      const at = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      const result = await runCli([`tcp://${at}`]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(
        new RegExp(`^healthy: liveness passed at tcp://${at.replace(/[[\]]/g, '\\$&')} \\(connected, `),
      );
    }
  });

  it('passes when the listener accepts and never reads', async () => {
    const { port } = await foreign(startSocat('127.0.0.1', 'SYSTEM:sleep 30'));
    expect(await runCli([`tcp://127.0.0.1:${port}`])).toMatchObject({ code: 0, stderr: '' });
  });

  it('fails with refused: for a closed port', async () => {
    const port = await freePort();
    const result = await runCli([`tcp://127.0.0.1:${port}`]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `refused: nothing is listening at tcp://127.0.0.1:${port} (connection refused)\n`,
    });
  });

  it('fails with timeout: within the deadline when the handshake never completes', async () => {
    const { port } = await foreign(startForeign('python3', [FULL_BACKLOG]));
    const result = await runCli(['-t', '500ms', `tcp://127.0.0.1:${port}`]);
    expect(result).toMatchObject({
      code: 1,
      stderr: `timeout: could not connect to tcp://127.0.0.1:${port} within 500 ms\n`,
    });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(result.elapsedMs).toBeLessThan(500 + 3000);
  });
});

describe('file: targets', () => {
  const reply = (status: string) =>
    JSON.stringify({
      v: 1,
      probe: 'liveness',
      status,
      durationMs: 1,
      checks: [
        {
          name: 'consumer',
          status,
          durationMs: 1,
          ...(status === 'healthy' ? {} : { message: 'no message for 10 min' }),
        },
      ],
    });

  it('passes for a fresh file, and for a symlink to one', async () => {
    const file = join(sandbox.dir, 'heartbeat');
    writeFileSync(file, '');
    symlinkSync(file, join(sandbox.dir, 'link'));
    for (const at of [file, join(sandbox.dir, 'link')]) {
      const result = await runCli([`file:${at}`]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(
        new RegExp(`^healthy: liveness passed at file:${at} \\(heartbeat is [\\d.]+ s old \\(max 15 s\\), `),
      );
    }
  });

  it('fails with unhealthy: for a stale file, naming its age and the limit', async () => {
    const file = join(sandbox.dir, 'heartbeat');
    writeFileSync(file, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, minuteAgo, minuteAgo);
    const result = await runCli([`file:${file}`]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      new RegExp(`^unhealthy: liveness failed at file:${file}: heartbeat is 6\\d s old \\(max 15 s\\)\\n$`),
    );
    expect((await runCli([`file:${file}`, '--max-age', '2m'])).code).toBe(0);
  });

  it('fails with no-file: for a missing file or a directory', async () => {
    const missing = await runCli([`file:${join(sandbox.dir, 'missing')}`]);
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^no-file: no file at file:.*missing \(is the worker writing its heartbeat there\?\)\n$/,
      ),
    });
    const directory = await runCli([`file:${sandbox.dir}`]);
    expect(directory).toMatchObject({
      code: 1,
      stderr: `no-file: file:${sandbox.dir} is a directory, not a heartbeat file\n`,
    });
  });

  it('lets a healthsock reply in the file decide, and shows its checks with -v', async () => {
    const file = join(sandbox.dir, 'heartbeat');
    writeFileSync(file, reply('unhealthy'));
    const result = await runCli(['-v', `file:${file}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^unhealthy: liveness failed at file:.*: consumer: no message for 10 min \(1\.0 ms\); heartbeat is [\d.]+ s old/,
      ),
      '  consumer: unhealthy in 1.0 ms: no message for 10 min',
      '',
    ]);
    writeFileSync(file, reply('healthy'));
    expect((await runCli([`file:${file}`])).code).toBe(0);
  });

  describe.runIf(process.getuid?.() === 0)('run as nobody', () => {
    it('fails with refused: for a file it cannot read, naming the file mode', async () => {
      const cli = cliForNobody();
      const file = join(sandbox.dir, 'heartbeat');
      chmodSync(sandbox.dir, 0o755);
      writeFileSync(file, '', { mode: 0o600 });
      const result = await cli([`file:${file}`]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^refused: permission denied reading file:${file} \\(uid 65534 cannot read it \\(mode 0600, owner uid 0`,
        ),
      );
    });

    it('names the directory that keeps it from a socket (and what is at the path)', async () => {
      const cli = cliForNobody();
      const closed = join(sandbox.dir, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      chmodSync(sandbox.dir, 0o755);
      await sandbox.worker(join(closed, 'health.sock'), []);
      const result = await cli(['-s', join(closed, 'health.sock')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^refused: permission denied connecting to ${closed}/health.sock \\(uid 65534 cannot enter the directory ${closed} \\(mode 0700, owner uid 0`,
        ),
      );
    });
  });
});

describe('a socket path that holds something else', () => {
  it('names a directory or a regular file instead of calling it a stale socket', async () => {
    const directory = await runCli(['-s', sandbox.dir]);
    expect(directory).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        new RegExp(
          `^no-socket: ${sandbox.dir} is a directory, not a socket \\(the socket path must name the socket file inside it`,
        ),
      ),
    });
    const file = join(sandbox.dir, 'notes.txt');
    writeFileSync(file, 'hello');
    const regular = await runCli([file]);
    expect(regular).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(new RegExp(`^no-socket: ${file} is a regular file, not a socket`)),
    });
  });
});

/**
 * The CLI as user nobody. A clone may sit in a directory nobody cannot enter (a root's 0700
 * home), so what nobody runs is copied to a world-readable directory first: the CLI's files,
 * and Node too when it lives in such a place (CI's Node 24 lives inside the clone).
 */
function cliForNobody() {
  const copy = tempDir();
  stops.push(async () => copy.remove());
  if (CLI_UNDER_TEST.native) {
    // The native binary alone, copied; a runner such as qemu lives in /usr/bin, which nobody reaches.
    const binary = process.env.HEALTHSOCK_CLI_UNDER_TEST as string;
    const copied = join(copy.path, 'healthsock');
    cpSync(binary, copied);
    execFileSync('chmod', ['-R', 'a+rX', copy.path]);
    return (args: string[]) => {
      const { command, args: all } = cliCommand(args);
      const swap = (word: string) => (word === binary ? copied : word);
      return run(swap(command), all.map(swap), { uid: 65534, gid: 65534 });
    };
  }
  cpSync(join(CLI_BIN, '..'), join(copy.path, 'dist'), { recursive: true });
  let node = process.execPath;
  if (!worldReachable(node)) {
    node = join(copy.path, 'node');
    cpSync(process.execPath, node);
  }
  execFileSync('chmod', ['-R', 'a+rX', copy.path]);
  return (args: string[]) => run(node, [join(copy.path, 'dist', 'bin.cjs'), ...args], { uid: 65534, gid: 65534 });
}

/** Whether anyone may reach `path`: every directory on the way lets others in. */
function worldReachable(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}
