import { defaultSocketPath, isProbeName, PROBES, type ProbeName } from '@healthsock/server/protocol';
import { ProbeError } from './ProbeError.js';
import { looksLikeHostPort } from './targets/looksLikeHostPort.js';
import { parseDuration } from './parseDuration.js';
import { parsePlainCommandLine } from './parsePlainCommandLine.js';
import { parseWithYargs } from './parseWithYargs.js';
import type { Values } from './Values.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CliOptions {
  probe: ProbeName;
  /** Whether the command line named the probe, rather than taking the default. */
  probeGiven: boolean;
  /** What to probe, as written: a socket path, `@name`, or a `unix:`, `http(s)://`, `tcp://` or `file:` target. */
  target: string;
  timeoutMs: number;
  /** `file:` targets: how old the heartbeat may be. */
  maxAgeMs: number;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  /** `grpc://` targets: `--header 'name: value'` as given, read by the grpc target's own code. */
  headers: string[];
}

/** Either options to probe with, or text to print and exit with (`--help`, `--version`). */
export type ParsedArgs = { kind: 'probe'; options: CliOptions } | { kind: 'print'; text: string };

/** The longest `--max-age`: a heartbeat of an hourly job, with room to spare. */
const MAX_MAX_AGE_MS = 7 * 24 * 3_600_000;

/**
 * Parses the command line. Rejects with a `usage` {@link ProbeError} on bad input.
 *
 * Two readings, one after the other. A probe runs this at every start, so the command line that
 * probes write is read without any library (parsePlainCommandLine). Anything else goes to full
 * yargs (parseWithYargs), which takes longer to load and run than the whole probe and so is loaded
 * only then: it decides help, version, unknown or repeated options and missing values.
 */
export async function parseArgs(argv: readonly string[], env: Env): Promise<ParsedArgs> {
  const values = parsePlainCommandLine(argv) ?? (await parseWithYargs(argv));
  if ('kind' in values) return values;
  const { probe, probeGiven, target } = probeAndTarget(values, env);
  return {
    kind: 'probe',
    options: {
      probe,
      probeGiven,
      target,
      timeoutMs: parseDuration('--timeout', values.timeout),
      maxAgeMs: parseDuration('--max-age', values.maxAge, MAX_MAX_AGE_MS),
      json: values.json,
      verbose: values.verbose,
      quiet: values.quiet,
      headers: values.headers,
    },
  };
}

/** An argument that can only be a target, never a misspelt probe. */
// Both cases spelt out: a case-insensitive pattern costs V8 far more to compile, at every probe.
const TARGET_LIKE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|[/@.])/;

/**
 * `[probe] [target]`: one argument is the probe when it names one, else the target. The target
 * may come from the argument, `--target` or `-s`, but from one of them only.
 */
function probeAndTarget(values: Values, env: Env): { probe: ProbeName; probeGiven: boolean; target: string } {
  const [first, second, ...extra] = values.positionals;
  if (extra.length > 0) {
    throw new ProbeError(
      'usage',
      `unexpected argument ${JSON.stringify(extra[0])}; expected [probe] [target] (see healthsock --help)`,
    );
  }
  let probe: string | undefined;
  let positional: string | undefined;
  if (second !== undefined) [probe, positional] = [first as string, second];
  else if (first !== undefined && (isProbeName(first) || (!TARGET_LIKE.test(first) && !looksLikeHostPort(first))))
    probe = first;
  else positional = first;
  const probeGiven = probe !== undefined;
  probe ??= 'liveness';
  if (!isProbeName(probe)) {
    throw new ProbeError(
      'usage',
      `unknown probe ${JSON.stringify(probe)}; expected ${PROBES.join(', ')} (see healthsock --help)`,
    );
  }
  const given = [positional, values.target, values.socket].filter((value) => value !== undefined);
  if (new Set(given).size > 1) {
    throw new ProbeError(
      'usage',
      `give the target once, not ${given.map((value) => JSON.stringify(value)).join(' and ')} (see healthsock --help)`,
    );
  }
  return { probe, probeGiven, target: given[0] ?? defaultSocketPath(env) };
}
