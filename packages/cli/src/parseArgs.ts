import {
  DEFAULT_SOCKET_PATH,
  defaultSocketPath,
  isProbeName,
  PROBES,
  type ProbeName,
} from '@healthsock/server/protocol';
import type { Options as YargsOptions } from 'yargs';
import { Parser } from 'yargs/helpers';
import { ProbeError } from './client/ProbeError.js';
import { parseDuration } from './parseDuration.js';
import { VERSION } from './version.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CliOptions {
  probe: ProbeName;
  socket: string;
  timeoutMs: number;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
}

/** Either options to probe with, or text to print and exit with (`--help`, `--version`). */
export type ParsedArgs = { kind: 'probe'; options: CliOptions } | { kind: 'print'; text: string };

const DEFAULT_TIMEOUT = '800ms';

const EPILOG = `Exit status: 0 when the probe passes (healthy or degraded), 1 otherwise.
On failure the first line on stderr starts with its class: timeout:, refused:, no-socket:, unhealthy:, bad-reply: or usage:.`;

/** The options, in the order `--help` lists them. Both parsing paths below are built from this. */
function optionsFor(env: Env) {
  return {
    socket: {
      alias: 's',
      type: 'string',
      requiresArg: true,
      default: defaultSocketPath(env),
      defaultDescription: `$HEALTHSOCK_SOCKET, else ${DEFAULT_SOCKET_PATH}`,
      describe: 'Socket path, or @name for an abstract socket',
    },
    timeout: {
      alias: 't',
      type: 'string',
      requiresArg: true,
      default: DEFAULT_TIMEOUT,
      describe: 'Deadline for connect and reply together, e.g. 800ms or 2s',
    },
    json: { type: 'boolean', default: false, describe: 'Print the reply as one JSON line on stdout' },
    verbose: { alias: 'v', type: 'boolean', default: false, describe: 'Also print a line per check' },
    quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' },
  } satisfies Record<string, YargsOptions & { type: 'string' | 'boolean'; default: string | boolean }>;
}

type Values = { probe: string; socket: string; timeout: string; json: boolean; verbose: boolean; quiet: boolean };

/**
 * Parses the command line. Rejects with a `usage` {@link ProbeError} on bad input.
 *
 * A probe runs this at every start, so the usual command line costs as little as it can:
 * yargs's own parser (yargs-parser, configured exactly as yargs configures it for the options
 * above) reads it, and the rest of yargs (commands, validation, help, messages), which takes
 * longer to load and run than the whole probe, is loaded only when something needs it. Anything
 * beyond known options with values and at most one valid probe name goes to full yargs, which
 * decides it exactly as it always has: help, version, unknown or repeated options, missing
 * values and invalid probes.
 */
export async function parseArgs(argv: readonly string[], env: Env): Promise<ParsedArgs> {
  const values = parseUsualCommandLine(argv, env) ?? (await parseWithYargs(argv, env));
  if ('kind' in values) return values;
  return {
    kind: 'probe',
    options: {
      probe: values.probe as ProbeName,
      socket: values.socket,
      timeoutMs: parseDuration('--timeout', values.timeout),
      json: values.json,
      verbose: values.verbose,
      quiet: values.quiet,
    },
  };
}

/** The keys yargs-parser sets for a usual command line: each option and its alias. */
const USUAL_KEYS = new Set(['_', '--', 'socket', 's', 'timeout', 't', 'json', 'verbose', 'v', 'quiet', 'q']);

/** The usual command line's values, or `undefined` when full yargs must decide. */
function parseUsualCommandLine(argv: readonly string[], env: Env): Values | undefined {
  // The configuration yargs hands its parser for these options: both spellings of each option
  // by type, a NaN `narg` for `requiresArg`, and the defaults.
  const alias: Record<string, string[]> = {};
  const types: { string: string[]; boolean: string[] } = { string: [], boolean: [] };
  const narg: Record<string, number> = {};
  const defaults: Record<string, string | boolean> = {};
  for (const [key, option] of Object.entries(optionsFor(env))) {
    const names = 'alias' in option ? [key, option.alias] : [key];
    if (names[1]) alias[key] = [names[1]];
    types[option.type].push(...names);
    if ('requiresArg' in option) narg[key] = Number.NaN;
    defaults[key] = option.default;
  }
  types.boolean.push('version', 'help');
  alias.help = ['h'];
  const { argv: parsed, error } = Parser.detailed([...argv], {
    alias,
    ...types,
    narg,
    default: defaults,
    configuration: { 'parse-positional-numbers': false, 'populate--': true },
  });
  if (error || !Object.keys(parsed).every((key) => USUAL_KEYS.has(key))) return undefined;
  const [probe = 'liveness', ...extra] = parsed._;
  const { socket, timeout, json, verbose, quiet } = parsed;
  const usual =
    extra.length === 0 &&
    isProbeName(probe) &&
    (parsed['--'] ?? []).length === 0 &&
    [socket, timeout].every((value) => typeof value === 'string') &&
    [json, verbose, quiet].every((value) => typeof value === 'boolean');
  return usual ? { probe, socket, timeout, json, verbose, quiet } : undefined;
}

/** Full yargs, on a fresh instance that never exits or prints by itself. */
async function parseWithYargs(argv: readonly string[], env: Env): Promise<Values | ParsedArgs> {
  const { default: yargs } = await import('yargs/yargs');
  return new Promise((resolve, reject) => {
    yargs()
      .scriptName('healthsock')
      .command('$0 [probe]', 'Ask a healthsock server for one probe and exit 0 if it passes, 1 if not.', (command) =>
        command.positional('probe', { choices: PROBES, default: 'liveness', describe: 'The probe to ask for' }),
      )
      .options(optionsFor(env))
      .example('healthsock readiness -s /run/app/health.sock', 'Ask the readiness probe')
      .example('healthsock -v -t 2s', 'Ask liveness with a 2 s deadline, and show every check')
      .epilog(EPILOG)
      .version(VERSION)
      .help()
      .alias('help', 'h')
      .strict()
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
          probe: args.probe as string,
          socket: args.socket,
          timeout: args.timeout,
          json: args.json,
          verbose: args.verbose,
          quiet: args.quiet,
        });
      });
  });
}

function firstLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
