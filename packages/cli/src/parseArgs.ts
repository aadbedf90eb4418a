import { PROBES, type ProbeName } from '@healthsock/server/protocol';
import yargs from 'yargs/yargs';
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

export const DEFAULT_SOCKET = '/tmp/healthsock.sock';
export const DEFAULT_TIMEOUT = '800ms';

const EPILOG = `Exit status: 0 when the probe passes (healthy or degraded), 1 otherwise.
On failure the first line on stderr starts with its class: timeout:, refused:, no-socket:, unhealthy:, bad-reply: or usage:.`;

/**
 * Parses the command line with a fresh yargs instance that never exits or prints by itself.
 * Rejects with a `usage` {@link ProbeError} on bad input.
 */
export function parseArgs(argv: readonly string[], env: Env): Promise<ParsedArgs> {
  return new Promise((resolve, reject) => {
    yargs()
      .scriptName('healthsock')
      .command('$0 [probe]', 'Ask a healthsock server for one probe and exit 0 if it passes, 1 if not.', (command) =>
        command.positional('probe', { choices: PROBES, default: 'liveness', describe: 'The probe to ask for' }),
      )
      .option('socket', {
        alias: 's',
        type: 'string',
        requiresArg: true,
        default: env.HEALTHSOCK_SOCKET || DEFAULT_SOCKET,
        defaultDescription: `$HEALTHSOCK_SOCKET, else ${DEFAULT_SOCKET}`,
        describe: 'Socket path, or @name for an abstract socket',
      })
      .option('timeout', {
        alias: 't',
        type: 'string',
        requiresArg: true,
        default: DEFAULT_TIMEOUT,
        describe: 'Deadline for connect and reply together, e.g. 800ms or 2s',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the reply as one JSON line on stdout' })
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Also print a line per check' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' })
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
        try {
          resolve({
            kind: 'probe',
            options: {
              probe: args.probe as ProbeName,
              socket: args.socket,
              timeoutMs: parseDuration('--timeout', args.timeout),
              json: args.json,
              verbose: args.verbose,
              quiet: args.quiet,
            },
          });
        } catch (usage) {
          reject(usage);
        }
      });
  });
}

function firstLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
