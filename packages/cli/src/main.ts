import { performance } from 'node:perf_hooks';
import { cutBytes, MAX_REPLY_BYTES } from '@healthsock/server/protocol';
import { formatReply } from './format/formatReply.js';
import { MAX_OUTPUT_BYTES, writeOutput, type OutputLine } from './format/writeOutput.js';
import type { ExitCode, Io } from './io.js';
import { parseArgs, type CliOptions, type Env } from './parseArgs.js';
import { isProbeError, ProbeError } from './ProbeError.js';
import { parseTarget } from './targets/parseTarget.js';
import { probeTarget } from './targets/probeTarget.js';
import type { Target } from './targets/Target.js';
import { wantsWatch } from './watch/wantsWatch.js';

export type { ExitCode, Io } from './io.js';

/**
 * The whole CLI, minus the process: parse `argv`, probe, print, and return the exit code.
 * It never exits and never throws; every failure becomes one classed line and exit code 1.
 */
export async function main(argv: readonly string[], env: Env, io: Io): Promise<ExitCode> {
  // Watch mode lives in its own bundle file: a one-shot probe never loads it.
  if (wantsWatch(argv)) {
    return (await import('./watch/watch.js')).watch(argv, env, io, { parseArgs, parseTarget, probeTarget });
  }
  const startedAt = performance.now();
  let options: CliOptions | undefined;
  let target: Target | undefined;
  try {
    const parsed = await parseArgs(argv, env);
    if (parsed.kind === 'print') {
      io.stdout.write(`${parsed.text}\n`);
      return 0;
    }
    options = parsed.options;
    target = parseTarget(options.target, options.probe);
    if (options.headers.length > 0 && target.kind !== 'grpc') {
      throw new ProbeError('usage', `--header applies to grpc:// and grpcs:// targets, not ${target.display}`);
    }
    const { body, ...reply } = await probeTarget(target, {
      probe: options.probe,
      probeGiven: options.probeGiven,
      deadline: startedAt + options.timeoutMs,
      timeoutMs: options.timeoutMs,
      maxAgeMs: options.maxAgeMs,
      detail: options.verbose || options.json,
      headers: options.headers,
    });
    const json =
      options.json && !options.quiet ? (await import('./format/fitJson.js')).fitJson(reply, MAX_REPLY_BYTES) : '';
    // Docker keeps the first 4096 bytes of output in all, the reply included.
    const room = MAX_OUTPUT_BYTES - (json ? Buffer.byteLength(json) + 1 : 0);
    const { passed, lines } = formatReply(reply, target.display, options.verbose, room, body);
    if (passed) {
      if (!options.quiet) writeOutput(io, json ? [{ stream: 'stdout', text: json, json: true }] : lines.map(stdout));
      return 0;
    }
    // The reason goes first: it is what pod events and Docker must keep.
    const output: OutputLine[] = lines.map((text) => ({ stream: 'stderr', text }));
    if (json) output.push({ stream: 'stdout', text: json, json: true });
    writeOutput(io, output);
    return 1;
  } catch (error) {
    // Anything not a ProbeError is the CLI's own fault, not the target's: its own class.
    const failure = isProbeError(error)
      ? error
      : new ProbeError(
          'internal',
          `unexpected error while probing ${target?.display ?? 'the target'}: ${messageOf(error)}`,
          { cause: error },
        );
    const output: OutputLine[] = [{ stream: 'stderr', text: `${failure.code}: ${failure.message}` }];
    if (options?.verbose && failure.cause instanceof Error)
      output.push({ stream: 'stderr', text: `  cause: ${failure.cause.message}` });
    if (options?.json && !options.quiet) {
      const named = cutBytes(target?.display ?? options.target, 200);
      const report = {
        v: 1,
        probe: options.probe,
        target: named,
        // `socket` is what this report called the target before there were other kinds.
        ...(target === undefined || target.kind === 'unix' ? { socket: named } : {}),
        error: { code: failure.code, message: cutBytes(failure.message, 500) },
      };
      output.push({ stream: 'stdout', text: JSON.stringify(report), json: true });
    }
    try {
      writeOutput(io, output);
    } catch {
      // Output that cannot be written has nowhere left to be reported; the exit code still says 1.
    }
    return 1;
  }
}

/** The message of whatever was thrown, even a value that is no Error or whose message getter throws. */
function messageOf(error: unknown): string {
  try {
    return String((error as Error)?.message ?? error);
  } catch {
    return 'an error whose message cannot be read';
  }
}

function stdout(text: string): OutputLine {
  return { stream: 'stdout', text };
}
