import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/parseArgs.js';

describe('parseArgs', () => {
  it('defaults to liveness on /tmp/healthsock.sock within 800 ms', async () => {
    expect(await parseArgs([], {})).toEqual({
      kind: 'probe',
      options: {
        probe: 'liveness',
        socket: '/tmp/healthsock.sock',
        timeoutMs: 800,
        json: false,
        verbose: false,
        quiet: false,
      },
    });
  });

  it('takes the socket from $HEALTHSOCK_SOCKET, and -s over it', async () => {
    expect(await parseArgs([], { HEALTHSOCK_SOCKET: '@env' })).toMatchObject({ options: { socket: '@env' } });
    expect(await parseArgs([], { HEALTHSOCK_SOCKET: '' })).toMatchObject({
      options: { socket: '/tmp/healthsock.sock' },
    });
    expect(await parseArgs(['-s', '/run/x.sock'], { HEALTHSOCK_SOCKET: '@env' })).toMatchObject({
      options: { socket: '/run/x.sock' },
    });
  });

  it('reads every option in short and long form', async () => {
    expect(await parseArgs(['readiness', '--socket', '@w', '--timeout', '2s', '--json', '-v', '-q'], {})).toEqual({
      kind: 'probe',
      options: { probe: 'readiness', socket: '@w', timeoutMs: 2000, json: true, verbose: true, quiet: true },
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
    expect(await parseArgs(['--version'], {})).toEqual({ kind: 'print', text: '0.0.0-dev' });
  });

  it.each([
    [['ready'], /Given: "ready"/],
    [['liveness', 'extra'], /Unknown argument: extra/],
    [['--socket'], /Not enough arguments following: socket/],
    [['-t'], /Not enough arguments following: t/],
    [['--nope'], /Unknown argument: nope/],
    [['-t', '5'], /--timeout "5" is not a duration/],
  ])('refuses %j with a usage error', async (argv, message) => {
    await expect(parseArgs(argv, {})).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(message) });
  });

  it('does not share state between calls', async () => {
    await parseArgs(['readiness', '-q'], {});
    expect(await parseArgs([], {})).toMatchObject({ options: { probe: 'liveness', quiet: false } });
  });
});
