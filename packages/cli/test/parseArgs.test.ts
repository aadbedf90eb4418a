import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/parseArgs.js';

describe('parseArgs', () => {
  it('defaults to liveness on /tmp/healthsock.sock within 800 ms', async () => {
    expect(await parseArgs([], {})).toEqual({
      kind: 'probe',
      options: {
        probe: 'liveness',
        probeGiven: false,
        target: '/tmp/healthsock.sock',
        timeoutMs: 800,
        maxAgeMs: 15_000,
        json: false,
        verbose: false,
        quiet: false,
        headers: [],
      },
    });
  });

  it('takes the socket from $HEALTHSOCK_SOCKET, and -s over it', async () => {
    expect(await parseArgs([], { HEALTHSOCK_SOCKET: '@env' })).toMatchObject({ options: { target: '@env' } });
    expect(await parseArgs([], { HEALTHSOCK_SOCKET: '' })).toMatchObject({
      options: { target: '/tmp/healthsock.sock' },
    });
    expect(await parseArgs(['-s', '/run/x.sock'], { HEALTHSOCK_SOCKET: '@env' })).toMatchObject({
      options: { target: '/run/x.sock' },
    });
  });

  it('reads every option in short and long form', async () => {
    expect(await parseArgs(['readiness', '--socket', '@w', '--timeout', '2s', '--json', '-v', '-q'], {})).toEqual({
      kind: 'probe',
      options: {
        probe: 'readiness',
        probeGiven: true,
        target: '@w',
        timeoutMs: 2000,
        maxAgeMs: 15_000,
        json: true,
        verbose: true,
        quiet: true,
        headers: [],
      },
    });
    expect(await parseArgs(['startup', '-t', '150ms', '--verbose', '--quiet'], {})).toMatchObject({
      options: { probe: 'startup', timeoutMs: 150, verbose: true, quiet: true },
    });
  });

  it('prints help with every option, and the version', async () => {
    const help = await parseArgs(['--help'], {});
    expect(help.kind).toBe('print');
    if (help.kind === 'print') {
      for (const option of [
        '--socket',
        '--timeout',
        '--json',
        '--verbose',
        '--quiet',
        '--version',
        '--help',
        'liveness',
        'readiness',
        'startup',
      ]) {
        expect(help.text).toContain(option);
      }
    }
    expect(await parseArgs(['--version'], {})).toEqual({
      kind: 'print',
      text: `0.0.0-dev (Node.js ${process.version})`,
    });
  });

  it.each([
    [['ready'], /unknown probe "ready"; expected liveness, readiness, startup/],
    [['liveness', 'a.sock', 'extra'], /unexpected argument "extra"/],
    [['readyness', 'http://127.0.0.1:8080'], /unknown probe "readyness"/],
    [['http://127.0.0.1:8080', '-s', '/run/a.sock'], /give the target once/],
    [['--target', 'tcp://127.0.0.1:5432', '/run/a.sock'], /give the target once/],
    [['--max-age', '0s'], /--max-age "0s" is not a duration/],
    [['--target'], /Not enough arguments following: target/],
    [['--socket'], /Not enough arguments following: socket/],
    [['-t'], /Not enough arguments following: t/],
    [['--nope'], /Unknown argument: nope/],
    [['-t', '5'], /--timeout "5" is not a duration/],
    [['-t', '1s', '--timeout', '2s'], /^--timeout is given 2 times; give it once/],
    [['-s', '/a', '-s', '/a', '-s', '/b'], /^--socket is given 3 times; give it once/],
    [['--target', '/a', '--target=/b'], /^--target is given 2 times/],
    [['--max-age=1s', '--max-age', '1s', 'file:/x'], /^--max-age is given 2 times/],
  ])('refuses %j with a usage error', async (argv, message) => {
    await expect(parseArgs(argv, {})).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(message) });
  });

  it('takes the target as an argument after the probe, alone, or as --target', async () => {
    const cases: [string[], object][] = [
      [['readiness', 'http://127.0.0.1:8080'], { probe: 'readiness', target: 'http://127.0.0.1:8080' }],
      [['tcp://[::1]:5432'], { probe: 'liveness', probeGiven: false, target: 'tcp://[::1]:5432' }],
      [['10.0.0.5:80'], { probe: 'liveness', probeGiven: false, target: '10.0.0.5:80' }],
      [['file:/run/hb', '--max-age', '1m'], { probe: 'liveness', target: 'file:/run/hb', maxAgeMs: 60_000 }],
      [['startup', 'health.sock'], { probe: 'startup', probeGiven: true, target: 'health.sock' }],
      [['@name'], { probe: 'liveness', target: '@name' }],
      [['--target', 'unix:/run/a.sock', 'startup'], { probe: 'startup', target: 'unix:/run/a.sock' }],
      [['-s', '/run/a.sock', '/run/a.sock'], { target: '/run/a.sock' }],
    ];
    for (const [argv, options] of cases) {
      expect(await parseArgs(argv, { HEALTHSOCK_SOCKET: '/run/env.sock' })).toMatchObject({ kind: 'probe', options });
    }
  });

  it('prints help that shows one example per target and stays under 4096 bytes', async () => {
    const help = await parseArgs(['--help'], {});
    if (help.kind !== 'print') throw new Error('no help');
    for (const example of [
      '/run/app/health.sock',
      'http://',
      'https://',
      'tcp://',
      'grpc://',
      'grpcs://',
      '--header',
      'file:',
      '--max-age',
      'no-host:',
      'no-file:',
    ])
      expect(help.text).toContain(example);
    expect(Buffer.byteLength(help.text)).toBeLessThan(4096);
  });

  it('keeps each --header (or -H) as given, for the grpc target to read', async () => {
    expect(
      await parseArgs(['grpc://h:1', '--header', 'Authorization: Bearer a:b', '-H', 'x-a:1', '-H', 'x-a: 2'], {}),
    ).toMatchObject({
      options: { headers: ['Authorization: Bearer a:b', 'x-a:1', 'x-a: 2'] },
    });
    expect(await parseArgs(['--header=x-b: c', 'grpc://h:1'], {})).toMatchObject({ options: { headers: ['x-b: c'] } });
  });

  it('does not share state between calls', async () => {
    await parseArgs(['readiness', '-q'], {});
    expect(await parseArgs([], {})).toMatchObject({ options: { probe: 'liveness', quiet: false } });
  });
});
