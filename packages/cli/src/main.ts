import { performance } from 'node:perf_hooks';
import { resolveSocketAddress } from '@healthsock/server/protocol';
import { ProbeError } from './client/ProbeError.js';
import { probeSocket } from './client/probeSocket.js';
import { formatReply } from './format/formatReply.js';
import { parseArgs, type CliOptions, type Env } from './parseArgs.js';

/** Where the CLI writes; `process.stdout` and `process.stderr` fit. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const MAX_OUTPUT_BYTES = 4000;

/** 0: the probe passed. 1: anything else. Never 2, which Docker reserves. */
export type ExitCode = 0 | 1;

/**
 * The whole CLI, minus the process: parse `argv`, probe, print, and return the exit code.
 * It never exits and never throws; every failure becomes one classed line and exit code 1.
 */
export async function main(argv: readonly string[], env: Env, io: Io): Promise<ExitCode> {
  const startedAt = performance.now();
  let options: CliOptions | undefined;
  try {
    const parsed = await parseArgs(argv, env);
    if (parsed.kind === 'print') {
      io.stdout.write(`${parsed.text}\n`);
      return 0;
    }
    options = parsed.options;
    const resolved = resolveSocketAddress(options.socket);
    if (!resolved.ok) throw new ProbeError('usage', resolved.reason);
    const where = resolved.address.display;
    const reply = await probeSocket({
      address: resolved.address,
      probe: options.probe,
      deadline: startedAt + options.timeoutMs,
      timeoutMs: options.timeoutMs,
    });
    const json = options.json && !options.quiet ? `${JSON.stringify(reply)}\n` : '';
    // Docker keeps the first 4096 bytes of output in all, the reply included.
    const { passed, lines } = formatReply(reply, where, options.verbose, MAX_OUTPUT_BYTES - Buffer.byteLength(json));
    if (passed) {
      if (!options.quiet) io.stdout.write(json || `${lines.join('\n')}\n`);
      return 0;
    }
    // The reason goes first: it is what pod events and Docker must keep.
    io.stderr.write(`${lines.join('\n')}\n`);
    io.stdout.write(json);
    return 1;
  } catch (error) {
    const failure =
      error instanceof ProbeError
        ? error
        : new ProbeError(
            'refused',
            `cannot probe ${options?.socket ?? 'the socket'}: ${String((error as Error)?.message ?? error)}`,
            { cause: error },
          );
    if (options?.json && !options.quiet) {
      const report = {
        v: 1,
        probe: options.probe,
        socket: options.socket,
        error: { code: failure.code, message: failure.message },
      };
      io.stdout.write(`${JSON.stringify(report)}\n`);
    }
    io.stderr.write(`${failure.code}: ${failure.message}\n`);
    if (options?.verbose && failure.cause instanceof Error) io.stderr.write(`  cause: ${failure.cause.message}\n`);
    return 1;
  }
}
