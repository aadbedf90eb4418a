import {
  DEFAULT_SOCKET_PATH,
  defaultSocketPath,
  isProbeName,
  PROBES,
  type ProbeName,
} from '@healthsock/server/protocol';
import type { Options as YargsOptions } from 'yargs';
import { Parser } from 'yargs/helpers';
import { ProbeError } from './ProbeError.js';
import { looksLikeHostPort } from './targets/looksLikeHostPort.js';
import { parseDuration } from './parseDuration.js';
import { parsePlainCommandLine } from './parsePlainCommandLine.js';
import { DEFAULT_MAX_AGE, DEFAULT_TIMEOUT, type Values } from './Values.js';
import { versionText } from './version.js';

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

const USAGE = `healthsock [probe] [target]

Probe a healthsock worker, an HTTP(S) URL, a TCP port, a gRPC health service or a heartbeat file; exit 0 if it passes, 1 if not.
  probe   liveness, readiness or startup                    [default: liveness]
  target  what to probe                [default: $HEALTHSOCK_SOCKET, else ${DEFAULT_SOCKET_PATH}]`;

const EPILOG = `Targets: a socket path or @name (unix:/path also works), http://host:port[/path] or https://..., tcp://host:port, grpc://host:port[/service] or grpcs://..., file:/path/to/heartbeat.
An http(s) URL without a path asks /livez, /readyz or /startupz by probe; 200-399 passes.
grpc(s):// asks the service in its path, else the probe's name.

Exit status: 0 when the probe passes (healthy or degraded), 1 otherwise.
On failure the first line on stderr starts with its class: timeout:, refused:, no-socket:, no-host:, no-file:, unhealthy:, bad-reply: or usage:.`;

/**
 * The options, in the order `--help` lists them. Both parsing paths below are built from this.
 * The target has no default here: it may come from three places, checked in `probeAndTarget`.
 */
function optionsFor() {
  return {
    socket: {
      alias: 's',
      type: 'string',
      requiresArg: true,
      defaultDescription: `$HEALTHSOCK_SOCKET, else ${DEFAULT_SOCKET_PATH}`,
      describe: 'The target: a socket path or @name, or any target below',
    },
    target: { type: 'string', requiresArg: true, describe: 'The same as the target argument' },
    timeout: {
      alias: 't',
      type: 'string',
      requiresArg: true,
      default: DEFAULT_TIMEOUT,
      describe: 'Deadline for the whole probe, e.g. 800ms or 2s',
    },
    'max-age': {
      type: 'string',
      requiresArg: true,
      default: DEFAULT_MAX_AGE,
      describe: 'file: targets: the heartbeat must be younger than this',
    },
    json: { type: 'boolean', default: false, describe: 'Print the reply as one JSON line on stdout' },
    verbose: { alias: 'v', type: 'boolean', default: false, describe: 'Also print a line per check' },
    quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' },
    header: {
      alias: 'H',
      type: 'string',
      requiresArg: true,
      describe: "grpc:// targets: metadata sent with the call, 'name: value'; repeatable",
    },
    watch: {
      type: 'string',
      defaultDescription: '1s when given alone',
      describe: 'Ask again every interval and show each check live; Ctrl-C ends it (exit 0)',
    },
  } satisfies Record<string, YargsOptions & { type: 'string' | 'boolean'; default?: string | boolean }>;
}

/**
 * Parses the command line. Rejects with a `usage` {@link ProbeError} on bad input.
 *
 * A probe runs this at every start, so the usual command line costs as little as it can. The
 * plain command line that probes write is read without any library (parsePlainCommandLine).
 * Otherwise yargs's own parser (yargs-parser, configured exactly as yargs configures it for the options
 * above) reads it, and the rest of yargs (commands, validation, help, messages), which takes
 * longer to load and run than the whole probe, is loaded only when something needs it. Anything
 * beyond known options with values and at most two arguments goes to full yargs, which decides
 * it exactly as it always has: help, version, unknown or repeated options and missing values.
 */
export async function parseArgs(argv: readonly string[], env: Env): Promise<ParsedArgs> {
  const values = parsePlainCommandLine(argv) ?? parseUsualCommandLine(argv) ?? (await parseWithYargs(argv));
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

/** The keys yargs-parser sets for a usual command line: each option and its alias. */
const USUAL_KEYS = new Set([
  '_',
  '--',
  'socket',
  's',
  'target',
  'timeout',
  't',
  'max-age',
  'json',
  'verbose',
  'v',
  'quiet',
  'q',
  'header',
  'H',
]);

/** The usual command line's values, or `undefined` when full yargs must decide. */
export function parseUsualCommandLine(argv: readonly string[]): Values | undefined {
  // The configuration yargs hands its parser for these options: both spellings of each option
  // by type, a NaN `narg` for `requiresArg`, and the defaults.
  const alias: Record<string, string[]> = {};
  const types: { string: string[]; boolean: string[] } = { string: [], boolean: [] };
  const narg: Record<string, number> = {};
  const defaults: Record<string, string | boolean> = {};
  for (const [key, option] of Object.entries(optionsFor())) {
    const names = 'alias' in option ? [key, option.alias] : [key];
    if (names[1]) alias[key] = [names[1]];
    types[option.type].push(...names);
    if ('requiresArg' in option) narg[key] = Number.NaN;
    if ('default' in option) defaults[key] = option.default;
  }
  types.boolean.push('version', 'help');
  alias.help = ['h'];
  const { argv: parsed, error } = Parser.detailed([...argv], {
    alias,
    ...types,
    narg,
    default: defaults,
    // Without camel-case expansion, which costs a probe more than the rest of the parse: an
    // option spelt in camelCase (--maxAge) is then an unknown key, which full yargs decides.
    configuration: { 'parse-positional-numbers': false, 'populate--': true, 'camel-case-expansion': false },
  });
  if (error || !Object.keys(parsed).every((key) => USUAL_KEYS.has(key))) return undefined;
  const positionals = parsed._.map(String);
  const { socket, target, timeout, 'max-age': maxAge, json, verbose, quiet } = parsed;
  const headers = parsed.header === undefined ? [] : [parsed.header].flat();
  const usual =
    positionals.length <= 2 &&
    (parsed['--'] ?? []).length === 0 &&
    headers.every((value) => typeof value === 'string') &&
    [socket, target].every((value) => value === undefined || typeof value === 'string') &&
    [timeout, maxAge].every((value) => typeof value === 'string') &&
    [json, verbose, quiet].every((value) => typeof value === 'boolean');
  return usual ? { positionals, socket, target, timeout, maxAge, json, verbose, quiet, headers } : undefined;
}

/** Full yargs, on a fresh instance that never exits or prints by itself. */
async function parseWithYargs(argv: readonly string[]): Promise<Values | ParsedArgs> {
  const { default: yargs } = await import('yargs/yargs');
  const version = await versionText();
  return new Promise((resolve, reject) => {
    yargs()
      .scriptName('healthsock')
      .usage(USAGE)
      .options(optionsFor())
      .example('healthsock readiness /run/app/health.sock', "A healthsock worker's socket (or @name, or -s PATH)")
      .example('healthsock readiness http://127.0.0.1:8080', 'An HTTP service: GET /readyz')
      .example('healthsock https://127.0.0.1:8443/health', 'Any path, sent with X-Probe: liveness')
      .example('healthsock tcp://127.0.0.1:5432', 'A TCP port: connect, then close')
      .example('healthsock readiness grpc://127.0.0.1:50051', 'A gRPC health service: Check the service readiness')
      .example('healthsock file:/run/app/heartbeat --max-age 1m', 'A heartbeat file younger than 1 minute')
      .example('healthsock -v -t 2s', 'Liveness with a 2 s deadline, and a line per check')
      .example(
        'healthsock readiness --watch 2s',
        'Ask every 2 s: a live table on a terminal, a line per change in a pipe',
      )
      .epilog(EPILOG)
      .version(version)
      .help()
      .alias('help', 'h')
      .strictOptions()
      .showHelpOnFail(false)
      .exitProcess(false)
      .wrap(null)
      .parse([...argv], {}, (error, args, output) => {
        if (error)
          return reject(
            new ProbeError('usage', `${firstLine(error.message)} (see healthsock --help)`, { cause: error }),
          );
        if (args.help || args.version) return resolve({ kind: 'print', text: output });
        resolve({
          positionals: args._.map(String),
          socket: args.socket,
          target: args.target === undefined ? undefined : (args.target as string),
          timeout: args.timeout,
          maxAge: args['max-age'],
          json: args.json,
          verbose: args.verbose,
          quiet: args.quiet,
          headers: args.header === undefined ? [] : [args.header].flat().map(String),
        });
      });
  });
}

function firstLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
