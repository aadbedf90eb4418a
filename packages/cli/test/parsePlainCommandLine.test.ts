import { describe, expect, it } from 'vitest';
import { parsePlainCommandLine } from '../src/parsePlainCommandLine.js';
import { parseWithYargs } from '../src/parseWithYargs.js';
import { defaultValues, type Values } from '../src/Values.js';

/** Tokens that probes write, and tokens that must leave the plain reading to yargs. */
const TOKENS = [
  'liveness',
  'readiness',
  'startup',
  'ready',
  '/run/app/health.sock',
  '@worker',
  'unix:/run/a.sock',
  'http://127.0.0.1:8080',
  'https://[::1]:8443/health',
  'tcp://127.0.0.1:5432',
  'file:/run/heartbeat',
  'grpc://127.0.0.1:50051/readiness',
  'a=b',
  'x-a: 1',
  '5',
  '05',
  '2s',
  '800ms',
  '',
  ' ',
  '-',
  '-5',
  '--',
  '-s',
  '--socket',
  '--target',
  '-t',
  '--timeout',
  '--max-age',
  '-H',
  '--header',
  '--json',
  '-v',
  '--verbose',
  '-q',
  '--quiet',
  '-vq',
  '-sv',
  '--socket=/run/a.sock',
  '--timeout=2s',
  '--timeout=-5s',
  '--socket=',
  '--header=x-b: c',
  '-s=/run/a.sock',
  '--no-json',
  '--no-verbose',
  '--json=false',
  '--maxAge',
  '--max_age',
  '--nope',
  '-x',
  '--help',
  '-h',
  '--version',
];

/** A small deterministic generator, so that a failure names a command line that repeats. */
function* commandLines(count: number): Generator<string[]> {
  let seed = 20_251_122;
  const next = (limit: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % limit;
  };
  for (let i = 0; i < count; i++) {
    yield Array.from({ length: next(7) }, () => TOKENS[next(TOKENS.length)] as string);
  }
}

describe('parsePlainCommandLine', () => {
  const read = (values: Partial<Values>): Values => ({ ...defaultValues(), ...values });

  it.each([
    [[], { ...read({}), timeout: '800ms', maxAge: '15s' }],
    [['-s', '/run/app/health.sock'], read({ socket: '/run/app/health.sock' })],
    [
      ['readiness', '--socket', '@worker', '--timeout', '2s'],
      read({ positionals: ['readiness'], socket: '@worker', timeout: '2s' }),
    ],
    [
      ['startup', 'http://127.0.0.1:8080', '-t', '900ms', '-q'],
      read({ positionals: ['startup', 'http://127.0.0.1:8080'], timeout: '900ms', quiet: true }),
    ],
    [['tcp://127.0.0.1:5432'], read({ positionals: ['tcp://127.0.0.1:5432'] })],
    [
      ['liveness', 'file:/run/heartbeat', '--max-age', '1m', '--json', '-v'],
      read({ positionals: ['liveness', 'file:/run/heartbeat'], maxAge: '1m', json: true, verbose: true }),
    ],
    [['--target', 'unix:/run/a.sock', 'readiness'], read({ positionals: ['readiness'], target: 'unix:/run/a.sock' })],
    [['--socket=/run/a.sock', '--timeout=2s'], read({ socket: '/run/a.sock', timeout: '2s' })],
    [
      ['grpc://h:1', '-H', 'x-a: 1', '--header', 'x-b:2', '--header=x-c: 3'],
      read({ positionals: ['grpc://h:1'], headers: ['x-a: 1', 'x-b:2', 'x-c: 3'] }),
    ],
    // yargs would read `false` as the value of --json; this reading, like the native binary, keeps it as the probe.
    [['--json', 'false', 'readiness'], read({ positionals: ['false', 'readiness'], json: true })],
  ])('reads the command line %j of a probe by itself', (argv, expected) => {
    expect(parsePlainCommandLine(argv)).toEqual(expected);
  });

  // 10,000 generated command lines; the 3,000 or so that the plain reading takes go through yargs too.
  it(
    'reads every command line it takes exactly as full yargs does, and leaves the rest to it',
    { timeout: 60_000 },
    async () => {
      let plain = 0;
      for (const argv of commandLines(10_000)) {
        const values = parsePlainCommandLine(argv);
        if (values === undefined) continue;
        plain++;
        expect(values, JSON.stringify(argv)).toEqual(await parseWithYargs(argv));
      }
      // Enough of the generated lines are plain for the comparison to mean something.
      expect(plain).toBeGreaterThan(2_000);
    },
  );

  it.each([
    [['-vq']],
    [['-s=/run/a.sock']],
    [['--socket=']],
    [['--json=false']],
    [['--no-json']],
    [['-v', '-v']],
    [['-s', '/a', '--socket', '/b']],
    [['-s', '-v']],
    [['-s', '']],
    [['-s']],
    [['--', 'liveness']],
    [['--help']],
    [['liveness', '/a', 'extra']],
  ])('leaves %j to yargs', (argv) => {
    expect(parsePlainCommandLine(argv)).toBeUndefined();
  });
});
