// The native binary needs nothing: it runs in a root that holds only itself (it is static, so ldd
// lists no library and no loader), and probes a real worker (plain Node, outside that root)
// through a socket inside it, as an exec probe in a distroless or scratch image reaches the worker
// through an emptyDir.
//
// It needs the x64 binary (`pnpm build:native`) and a way to chroot; without them it is skipped,
// unless HEALTHSOCK_REQUIRE_BINARY_TEST=1 (as in CI) turns the skip into a failure.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_HTTP, startForeign, startSocat } from './helpers/foreign.js';
import { freePort } from './helpers/ports.js';
import { chrootPrefix, dynamicHeaders, populateNodelessRoot, sharedLibraries } from './helpers/nodelessRoot.js';
import { run, startWorker, tempDir, type CheckSpec, type Worker } from './helpers/processes.js';
import { selfSignedCertificate } from './helpers/selfSignedCertificate.js';

const BINARY =
  process.env.HEALTHSOCK_BINARY ?? fileURLToPath(new URL('../build/native/healthsock-linux-x64', import.meta.url));
const VERSION: string = JSON.parse(
  readFileSync(new URL('../packages/cli/package.json', import.meta.url), 'utf8'),
).version;

const chroot = chrootPrefix();
const skipReason =
  process.arch !== 'x64'
    ? `the x64 binary cannot run on ${process.arch}`
    : !existsSync(BINARY)
      ? `${BINARY} does not exist; build it with scripts/build-native.sh`
      : 'impossible' in chroot
        ? chroot.impossible
        : undefined;
const required = process.env.HEALTHSOCK_REQUIRE_BINARY_TEST === '1';
if (skipReason && !required) console.warn(`binary.test.ts: skipping the native-binary tests: ${skipReason}`);

describe.runIf(skipReason && required)('the native binary, where CI requires it', () => {
  it('can be tested here', () => {
    throw new Error(`HEALTHSOCK_REQUIRE_BINARY_TEST=1, but the native-binary tests cannot run: ${skipReason}`);
  });
});

describe.skipIf(skipReason)('the native binary in a root that holds nothing else', () => {
  let root: ReturnType<typeof tempDir>;
  let files: string[];
  const workers: Worker[] = [];
  let sockets = 0;

  beforeAll(() => {
    root = tempDir();
    files = populateNodelessRoot(root.path, BINARY);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  });

  afterAll(() => root?.remove());

  /** Runs the binary inside the root, with the bare environment a container would give it. */
  function probe(args: readonly string[]) {
    const prefix = 'prefix' in chroot ? chroot.prefix : [];
    const [command = 'chroot', ...rest] = prefix;
    // The bare environment of a container, not the test runner's.
    const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
    return run(command, [...rest, root.path, '/healthsock', ...args], { env, killAfterMs: 10_000 });
  }

  /** Starts a fixture worker on a fresh socket in the root's /run; returns it and the path the binary sees. */
  async function workerInRoot(checks: CheckSpec[]) {
    const inside = `/run/health-${++sockets}.sock`;
    const started = await startWorker(join(root.path, inside), checks);
    workers.push(started);
    expect(started.status).toBe('listening');
    return { worker: started, socket: inside };
  }

  it('is static, so the root holds the binary alone: no library, no loader, no Node', () => {
    expect(dynamicHeaders(BINARY)).toEqual([]);
    expect(sharedLibraries(BINARY)).toEqual([]);
    expect(files).toEqual(['healthsock']);
    expect(files.map((file) => basename(file))).not.toContain('node');
  });

  it('prints the version and that it is the native build', async () => {
    const result = await probe(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION} (native, linux-x64)\n`, stderr: '' });
  });

  it('prints its help and usage errors', async () => {
    const help = await probe(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('healthsock [probe]');
    const usage = await probe(['readyness']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/^usage: .*readyness/);
  });

  it('passes against a healthy worker', async () => {
    const { socket } = await workerInRoot([{ name: 'db', behaviour: 'pass' }]);
    const result = await probe(['readiness', '-s', socket]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^healthy: readiness passed at ${socket} `));
  });

  it('fails with unhealthy: when a check fails', async () => {
    const { socket } = await workerInRoot([{ name: 'postgres', behaviour: 'fail' }]);
    const result = await probe(['readiness', '-s', socket]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^unhealthy: readiness failed at ${socket}: postgres: postgres is down`));
  });

  it('fails with timeout: when the worker event loop is blocked', async () => {
    const { worker, socket } = await workerInRoot([]);
    worker.send('block 5000');
    await worker.nextLine('blocking');
    const result = await probe(['liveness', '-s', socket, '-t', '500ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^timeout: no reply from ${socket} within 500 ms`));
    // Its own deadline ended it, well before the worker would have unblocked and answered.
    expect(result.elapsedMs).toBeLessThan(500 + 3000);
  });

  it('probes an http:// target: passing and failing', async () => {
    const server = await startForeign('python3', [FOREIGN_HTTP, '127.0.0.1']);
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const passed = await probe(['readiness', url]);
      expect(passed).toMatchObject({ code: 0, stderr: '' });
      expect(passed.stdout).toMatch(new RegExp(`^healthy: readiness passed at ${url}/readyz \\(HTTP 200 OK`));
      const failed = await probe([`${url}/unavailable`]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^unhealthy: .*HTTP 503 Service Unavailable: \[-\]db failed/);
    } finally {
      await server.stop();
    }
  });

  it('probes an https:// target with a self-signed certificate', async () => {
    const dir = tempDir();
    const { cert, key } = selfSignedCertificate(dir.path);
    const server = await startForeign('python3', [FOREIGN_HTTP, '127.0.0.1', cert, key]);
    try {
      const result = await probe([`https://127.0.0.1:${server.port}`]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await server.stop();
      dir.remove();
    }
  });

  it('probes tcp:// targets: open and closed', async () => {
    const listener = await startSocat('127.0.0.1', 'SYSTEM:true');
    try {
      const open = await probe([`tcp://127.0.0.1:${listener.port}`]);
      expect(open).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await listener.stop();
    }
    const closed = await probe([`tcp://127.0.0.1:${await freePort()}`]);
    expect(closed).toMatchObject({ code: 1, stderr: expect.stringMatching(/^refused: nothing is listening at tcp:/) });
  });

  it('probes file: targets: fresh and missing', async () => {
    writeFileSync(join(root.path, 'run', 'heartbeat'), '');
    const fresh = await probe(['file:/run/heartbeat']);
    expect(fresh).toMatchObject({ code: 0, stderr: '' });
    const missing = await probe(['file:/run/missing']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^no-file: no file at file:\/run\/missing/),
    });
  });

  // Node 20 pads an abstract name with NULs to the whole sun_path, while Node 22 and later use the
  // bare name; the binary tries both, so it reaches a worker on any Node.
  it('reaches an abstract socket, which needs no file in the root', async () => {
    const name = `@healthsock-binary-test-${process.pid}`;
    workers.push(await startWorker(name, [{ name: 'loop', behaviour: 'pass' }]));
    const result = await probe(['liveness', '-s', name]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
