// The native healthsock against the Node CLI, side by side: the same command lines and the same
// hostile servers, run through both, must give the same bytes and exit codes. Runs in
// vitest.native.config.ts, where HEALTHSOCK_CLI_UNDER_TEST names the binary (and qemu for arm64).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, CLI_UNDER_TEST, childEnv, run, runCli, type RunResult } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { listenOnFreePort } from './helpers/ports.js';

const sandbox = useSandbox();
const binary = process.env.HEALTHSOCK_CLI_UNDER_TEST ?? '';
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function runNode(args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [CLI_BIN, ...args]);
}

/** A socket server that answers every connection with `reply`, then closes. */
async function replying(reply: Buffer | string): Promise<string> {
  const path = join(sandbox.dir, `s${servers.length}.sock`);
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(reply));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

/**
 * Runs both implementations and expects the same exit code and the same bytes; `timed` lets the
 * durations and ages that each measures for itself differ.
 */
async function same(args: readonly string[], timed = false): Promise<RunResult> {
  const [native, node] = await Promise.all([runCli(args), runNode(args)]);
  const measured = (text: string) => (timed ? text.replace(/\d+(\.\d)? (ms|s)\b/g, 'N $2') : text);
  expect({ code: native.code, stdout: measured(native.stdout), stderr: measured(native.stderr) }).toEqual({
    code: node.code,
    stdout: measured(node.stdout),
    stderr: measured(node.stderr),
  });
  return native;
}

describe.runIf(CLI_UNDER_TEST.native)('the native healthsock binary', () => {
  it('prints the Node CLI help, plus one line saying grpc:// and the terminal watch view are the Node CLI', async () => {
    const [native, node] = await Promise.all([runCli(['--help']), runNode(['--help'])]);
    expect(native.code).toBe(0);
    expect(node.stdout).toContain('-H, --header');
    expect(node.stdout).toContain('grpc://host:port[/service]');
    const extra =
      'This is the native build: grpc:// and grpcs:// targets, and the redrawing terminal view of --watch, are in the Node.js healthsock CLI; here --watch prints a line per change everywhere.\n';
    expect(native.stdout).toBe(node.stdout.replace(/\n$/, `\n${extra}`));
  });

  it.each([['grpc://127.0.0.1:50051'], ['grpcs://127.0.0.1:50051/my.Service']])(
    'answers %s with a usage line naming the Node.js CLI',
    async (target) => {
      for (const args of [[target], ['readiness', target, '-H', 'authorization: Bearer abc']]) {
        const native = await runCli(args);
        expect(native).toMatchObject({
          code: 1,
          stdout: '',
          stderr: 'usage: grpc:// targets need the Node.js healthsock CLI; this is the native build\n',
        });
      }
    },
  );

  // The one line that differs by design: the Node CLI names its Node, the binary its build.
  it('says in --version that it is the native build, for its architecture', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../packages/cli/package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const arch = CLI_UNDER_TEST.command.includes('qemu-aarch64') ? 'linux-arm64' : 'linux-x64';
    expect((await runCli(['--version'])).stdout).toBe(`${version} (native, ${arch})\n`);
  });

  it.runIf(!binary.endsWith('-asan'))('is one static file of at most 512 KiB with no dynamic loader', () => {
    expect(statSync(binary).size).toBeLessThanOrEqual(512 * 1024);
    const headers = execFileSync('readelf', ['-l', binary], { encoding: 'utf8' });
    expect(headers).toContain('LOAD');
    expect(headers).not.toContain('INTERP');
  });

  it.each([
    [[]],
    [['readyness']],
    [['liveness', 'a.sock', 'extra']],
    [['--nope']],
    [['-x', '-y']],
    [['-t']],
    [['--target']],
    [['-t', '0s']],
    [['--max-age', '8d', 'file:/x']],
    [['--timeout=300ms', '-s', '@nobody-holds-this']],
    [['-vq', '@nobody-holds-this']],
    [['--no-json', '@nobody-holds-this']],
    [['http://127.0.0.1:8080', '-s', '/run/a.sock']],
    [['unix:']],
    [['@']],
    [['x'.repeat(200)]],
    [['/' + 'x'.repeat(120)]],
    [['file:']],
    [['tcp://127.0.0.1']],
    [['tcp://127.0.0.1:70000']],
    [['redis://127.0.0.1:6379']],
    [['http://']],
    [['https://[::1']],
    [['-s', '/dev/null']],
    [['--watch', 'abc']],
    [['--watch', '50ms']],
    [['--watch', '1s', '--watch', '2s']],
    [['a\u0007b']],
    [['\u001b[31mred']],
    [['-H']],
    [['--header']],
    [['-H', 'a: b', '-H']],
    [['-H', '-v', '/x']],
    [['-H', 'a: b', '/nonexistent/health.sock']],
    [['--header', 'x-a: 1', '-H', 'x-b: 2', 'tcp://127.0.0.1:1']],
    [['--header=', '@nobody-holds-this']],
    [['-vH', 'a: b', 'file:/nonexistent/heartbeat']],
    [['--no-header', '/x']],
    [['--json', '-v', 'file:/nonexistent/heartbeat']],
    [['--json', '-s', '/nonexistent/health.sock']],
    [['--json', '-H', 'a: b', 'http://127.0.0.1:1/x']],
    [['-H', 'a: b', 'redis://127.0.0.1:6379']],
    [['-H', 'a: b', '10.0.0.5:80']],
    [['10.0.0.5:80']],
    [['readiness', 'localhost:9']],
    [['-t', '1s', '-t', '2s']],
    [['-s', '/a', '--socket', '/b']],
    [['--target', '/a', '--target', '/a']],
    [['--max-age', '1s', '--max-age=2s', 'file:/x']],
    [['--json', 'false', '@nobody-holds-this']],
    [['--socket=@nobody-holds-this', '--timeout=300ms']],
  ])('reads the command line %j as the Node CLI does', async (args) => {
    await same(args);
  });

  it.each([
    [
      'control characters in the reason',
      '{"v":1,"probe":"liveness","status":"unhealthy","durationMs":1,"message":"a\\u001b[2Jb\\r\\nc\\u0007\\u2028d\\u0085e","checks":[]}\n',
    ],
    [
      'invalid UTF-8',
      Buffer.concat([
        Buffer.from('{"v":1,"probe":"liveness","status":"unhealthy","durationMs":1,"message":"'),
        Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]),
        Buffer.from('","checks":[]}\n'),
      ]),
    ],
    [
      'lone surrogates',
      '{"v":1,"probe":"liveness","status":"degraded","durationMs":1,"message":"x\\ud800y\\udfffz","checks":[{"name":"\\ud83d","status":"degraded","durationMs":2,"data":"\\udc00"}]}\n',
    ],
    [
      'numbers in every form',
      '{"v":1.0,"probe":"liveness","status":"unhealthy","durationMs":1e21,"checks":[{"name":"a","status":"unhealthy","durationMs":0.05,"data":[1e-7,-0,123456789012345680000,0.1,1.5e300,2.5,-9.95]},{"name":"b","status":"unhealthy","durationMs":-0.04},{"name":"c","status":"unhealthy","durationMs":9.95},{"name":"d","status":"unhealthy","durationMs":1e400}]}\n',
    ],
    [
      'duplicate and integer keys',
      '{"v":1,"probe":"liveness","status":"healthy","status":"unhealthy","durationMs":3,"checks":[{"name":"x","status":"unhealthy","durationMs":1,"data":{"b":1,"10":2,"2":3,"a":{"z":1,"1":0},"b":4,"4294967295":5,"01":6}}]}\n',
    ],
    ['an error reply', '{"v":1,"error":{"code":"ERR_OVERLOADED","message":"too \\n many"}}\n'],
    ['an unusable error reply', '{"v":1,"error":null}\n'],
    ['another protocol version', '{"v":{"major":2,"list":[1,"x"]},"probe":"liveness"}\n'],
    ['no version', '{"probe":"liveness"}\n'],
    [
      'a message that is not a string',
      '{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"message":null,"checks":[]}\n',
    ],
    [
      'bad checks',
      '{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"checks":[{"name":"a","status":"ok","durationMs":1}]}\n',
    ],
    ['not JSON', 'hello\n'],
    ['a JSON array', '[1,2]\n'],
    [
      'deep nesting',
      `{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"checks":[],"x":${'['.repeat(150)}${']'.repeat(150)}}\n`,
    ],
    ['nothing', ''],
    ['a reply of 70 000 bytes without a newline', 'x'.repeat(70_000)],
    ['a reply without its newline', '{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"checks":[]}'],
    [
      'many checks with long messages',
      `${JSON.stringify({
        v: 1,
        probe: 'liveness',
        status: 'unhealthy',
        durationMs: 12.34,
        message: 'm'.repeat(300),
        checks: Array.from({ length: 80 }, (_, i) => ({
          name: `check-${i}-é`,
          status: i % 3 === 0 ? 'healthy' : 'unhealthy',
          durationMs: i * 1.25,
          message: `${'é😀'.repeat(30)}${i}\u0000`,
          data: { i, list: [i, `${i}`] },
        })),
      })}\n`,
    ],
    [
      'huge data',
      `${JSON.stringify({ v: 1, probe: 'liveness', status: 'healthy', durationMs: 5, checks: [{ name: 'a', status: 'healthy', durationMs: 1, data: 'd'.repeat(5000) }] })}\n`,
    ],
  ])('prints the same for a server sending %s, with every output option', async (_, reply) => {
    const socket = await replying(reply);
    for (const options of [[], ['-v'], ['--json'], ['-v', '--json'], ['-q'], ['-q', '--json']]) {
      const result = await same(['-s', socket, ...options]);
      // No control character from outside reaches the terminal, whatever the server sends.
      // eslint-disable-next-line no-control-regex -- control characters are what it looks for
      expect(result.stdout + result.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    }
  });

  it('prints the same for heartbeat files of every kind', async () => {
    const file = join(sandbox.dir, 'beat');
    for (const content of [
      '',
      'ok\n',
      '{"v":1,"probe":"liveness","status":"degraded","durationMs":2,"message":"slow\\u001b","checks":[{"name":"q","status":"degraded","durationMs":2}]}',
      '  {"v":1,"error":{"code":"E","message":"m"}}  ',
      '{not json',
    ]) {
      writeFileSync(file, content);
      for (const options of [[], ['-v']]) await same([`file:${file}`, ...options], true);
    }
  });

  it('runs with the environment the Node CLI reads', async () => {
    const socket = await replying('{"v":1,"probe":"liveness","status":"healthy","durationMs":1,"checks":[]}\n');
    const env = childEnv({ HEALTHSOCK_SOCKET: socket });
    const [native, node] = await Promise.all([runCli([], { env }), run(process.execPath, [CLI_BIN], { env })]);
    expect(native).toMatchObject({ code: node.code, stdout: node.stdout, stderr: node.stderr });
  });

  // A name server that never answers, in a mount namespace of the probes' own: the lookup
  // cannot be polled, and the deadline must hold over it all the same.
  it.runIf(process.getuid?.() === 0 || process.env.CI === 'true')(
    'holds the deadline over a name lookup that never answers',
    async () => {
      const dns = createSocket('udp4');
      await new Promise<void>((resolve) => dns.bind(53, '127.0.0.53', resolve));
      try {
        const conf = join(sandbox.dir, 'resolv.conf');
        writeFileSync(conf, 'nameserver 127.0.0.53\noptions timeout:5 attempts:2\n');
        const inNamespace = (command: string, args: string[]) =>
          run('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', conf, command, ...args]);
        const args = ['-t', '300ms', 'http://never.answered.example/'];
        const native = await inNamespace(CLI_UNDER_TEST.command, [...CLI_UNDER_TEST.prefix, ...args]);
        const node = await inNamespace(process.execPath, [CLI_BIN, ...args]);
        expect(native).toMatchObject({ code: 1, stdout: '', stderr: node.stderr });
        expect(native.stderr).toBe('timeout: could not connect to http://never.answered.example/livez within 300 ms\n');
        expect(native.elapsedMs).toBeLessThan(3000);
      } finally {
        dns.close();
      }
    },
  );

  // The hardening issue's behaviours, built into the Node CLI in parallel: here their exact texts.
  describe('the hardened contract', () => {
    it("refuses a heartbeat of another probe than the one named, and takes the file's when none is", async () => {
      const file = join(sandbox.dir, 'beat');
      writeFileSync(file, '{"v":1,"probe":"readiness","status":"healthy","durationMs":1,"checks":[]}\n');
      expect(await runCli(['liveness', `file:${file}`])).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `bad-reply: file:${file} holds a readiness heartbeat, not liveness\n`,
      });
      const unnamed = await runCli([`file:${file}`]);
      expect(unnamed.code).toBe(0);
      expect(unnamed.stdout).toMatch(/^healthy: readiness passed at file:/);
    });

    it('names a schemeless host:port as a usage error', async () => {
      for (const target of ['localhost:19000', '[::1]:80']) {
        expect(await runCli(['--target', target])).toMatchObject({
          code: 1,
          stderr: `usage: ${target} looks like host:port; write tcp://${target} or http://${target}\n`,
        });
      }
      // With a path in front it is a socket path, whatever follows the colon.
      const named = join(sandbox.dir, 'host:1234');
      expect((await runCli(['--target', named])).stderr).not.toMatch(/looks like host:port/);
    });

    it("sends the time left with every HTTP request, and shows a failing body's first line with -v", async () => {
      const seen: IncomingHttpHeaders[] = [];
      const server = createServer((request, response) => {
        seen.push(request.headers);
        response.writeHead(500);
        response.end('\n  \n<h1>\u001b[31mbroken\u0007 ' + 'x'.repeat(300) + '</h1>\nmore\n');
      });
      const port = await listenOnFreePort(server);
      try {
        const result = await runCli(['-v', '-t', '2s', `http://127.0.0.1:${port}/x`]);
        const [head, body] = result.stderr.split('\n');
        expect(head).toBe(`unhealthy: liveness failed at http://127.0.0.1:${port}/x: HTTP 500 Internal Server Error`);
        expect(body).toMatch(/^ {2}body: <h1> \[31mbroken x+…$/);
        expect(Buffer.byteLength(body as string)).toBe('  body: '.length + 200);
        const timeLeft = Number(seen[0]?.['x-healthsock-timeout-ms']);
        expect(timeLeft).toBeGreaterThan(0);
        expect(timeLeft).toBeLessThanOrEqual(2000);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
