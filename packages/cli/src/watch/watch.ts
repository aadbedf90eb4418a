import { oneLine } from '@healthsock/server/protocol';
import { performance } from 'node:perf_hooks';
import type { ExitCode, Io } from '../io.js';
import type { Env, parseArgs } from '../parseArgs.js';
import { isProbeError, ProbeError } from '../ProbeError.js';
import type { parseTarget } from '../targets/parseTarget.js';
import type { probeTarget } from '../targets/probeTarget.js';
import { extractWatch } from './extractWatch.js';
import { renderChange, renderTable } from './renderWatch.js';
import { trackRows, type Outcome, type WatchRow } from './trackRows.js';

/** A terminal tells its width and that it is one; a pipe or a file does not. */
type WatchIo = Io & { stdout: { isTTY?: boolean; columns?: number } };

/**
 * What the watch shares with a one-shot probe, handed over by the caller rather than imported,
 * so that this file, loaded only for `--watch`, carries no second copy of the parser or targets.
 */
export interface WatchParts {
  parseArgs: typeof parseArgs;
  parseTarget: typeof parseTarget;
  probeTarget: typeof probeTarget;
}

/**
 * `healthsock [probe] [target] --watch [interval]`: asks again every interval until stopped
 * (Ctrl-C, or `stop`), and returns 0. On a terminal it redraws a line per check with its status,
 * duration, message and how long it has been in that state, in colour unless `NO_COLOR` is set;
 * otherwise it prints one line per change, for a log. Works for every target the CLI probes.
 * Loaded only when `--watch` is given, so a one-shot probe never pays for it.
 */
export async function watch(
  argv: readonly string[],
  env: Env,
  io: WatchIo,
  parts: WatchParts,
  stop?: AbortSignal,
): Promise<ExitCode> {
  const { parseArgs, parseTarget, probeTarget } = parts;
  let setup;
  try {
    const { intervalMs, rest } = extractWatch(argv);
    const parsed = await parseArgs(rest, env);
    if (parsed.kind === 'print') {
      io.stdout.write(`${parsed.text}\n`);
      return 0;
    }
    setup = { intervalMs, options: parsed.options, target: parseTarget(parsed.options.target, parsed.options.probe) };
  } catch (error) {
    const failure = isProbeError(error) ? error : new ProbeError('usage', String(error));
    io.stderr.write(`${oneLine(`${failure.code}: ${failure.message}`)}\n`);
    return 1;
  }
  const { intervalMs, options, target } = setup;
  const stopped = stop ?? stopOnSigint();
  const tty = io.stdout.isTTY === true;
  const colour = tty && !env.NO_COLOR;
  const header = `healthsock ${options.probe} at ${target.display}, every ${intervalMs / 1000}s (Ctrl-C to stop)`;
  const aborted = new Promise<void>((resolve) => {
    if (stopped.aborted) resolve();
    else stopped.addEventListener('abort', () => resolve(), { once: true });
  });

  let rows: WatchRow[] = [];
  let drawn = 0;
  while (!stopped.aborted) {
    const startedAt = performance.now();
    const asked = probeTarget(target, {
      probe: options.probe,
      probeGiven: options.probeGiven,
      deadline: startedAt + options.timeoutMs,
      timeoutMs: options.timeoutMs,
      maxAgeMs: options.maxAgeMs,
      headers: options.headers,
      detail: true,
    }).then(
      (reply): Outcome => ({ reply }),
      (error: unknown): Outcome => ({
        failure: isProbeError(error)
          ? { code: error.code, message: error.message }
          : { code: 'refused', message: String((error as Error)?.message ?? error) },
      }),
    );
    const outcome = await Promise.race([asked, aborted]);
    if (!outcome) break;
    const now = performance.now();
    rows = trackRows(rows, outcome, now, options.probe);
    if (tty) {
      const time = new Date().toTimeString().slice(0, 8);
      const lines = [
        oneLine(`${header}  ${time}`),
        ...renderTable(rows, now, { colour, columns: io.stdout.columns ?? 80 }),
      ];
      // Back to the top of the last drawing, clear to the end of the screen, draw again.
      io.stdout.write(`${drawn > 0 ? `\x1b[${drawn}F` : ''}\x1b[J${lines.join('\n')}\n`);
      drawn = lines.length;
    } else {
      const at = new Date();
      for (const row of rows) if (row.since === now) io.stdout.write(`${renderChange(row, at)}\n`);
    }
    await Promise.race([delay(startedAt + intervalMs - performance.now()), aborted]);
  }
  return 0;
}

/** Ctrl-C ends the watch normally: exit 0, not Node's default of dying by the signal. */
function stopOnSigint(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
