import { DEFAULT_SOCKET_PATH } from '@healthsock/server/protocol';
import type { Options as YargsOptions } from 'yargs';
import { ProbeError } from './ProbeError.js';
import { DEFAULT_MAX_AGE, DEFAULT_TIMEOUT, type Values } from './Values.js';
import { versionText } from './version.js';

const USAGE = `healthsock [probe] [target]

Probe a healthsock worker, an HTTP(S) URL, a TCP port, a gRPC health service or a heartbeat file; exit 0 if it passes, 1 if not.
  probe   liveness, readiness or startup                    [default: liveness]
  target  what to probe                [default: $HEALTHSOCK_SOCKET, else ${DEFAULT_SOCKET_PATH}]`;

const EPILOG = `Targets: a socket path or @name (unix:/path also works), http://host:port[/path] or https://..., tcp://host:port, grpc://host:port[/service] or grpcs://..., file:/path/to/heartbeat.
An http(s) URL without a path asks /livez, /readyz or /startupz by probe; 200-399 passes.
grpc(s):// asks the service in its path, else the probe's name.

Exit status: 0 when the probe passes (healthy or degraded), 1 otherwise.
On failure the first line on stderr starts with its class: timeout:, refused:, no-socket:, no-host:, no-file:, unhealthy:, bad-reply:, usage: or internal:.`;

/**
 * The options, in the order `--help` lists them. The plain reading (parsePlainCommandLine) knows the same
 * spellings.
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

/** The options that take one value, unlike the repeatable `--header`. */
const ONCE = ['socket', 'target', 'timeout', 'max-age'] as const;

/**
 * Reads the command line with full yargs, on a fresh instance that never exits or prints by
 * itself: the values, or the text of `--help` and `--version`. Rejects with a `usage`
 * {@link ProbeError} on an unknown option, a missing value and the like.
 */
export async function parseWithYargs(argv: readonly string[]): Promise<Values | { kind: 'print'; text: string }> {
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
      // An argument is text, as the plain reading keeps it: 05 stays 05.
      .parserConfiguration({ 'parse-positional-numbers': false })
      .parse([...argv], {}, (error, args, output) => {
        if (error)
          return reject(
            new ProbeError('usage', `${firstLine(error.message)} (see healthsock --help)`, { cause: error }),
          );
        if (args.help || args.version) return resolve({ kind: 'print', text: output });
        // yargs makes a repeated option a list; each of these takes one value.
        for (const name of ONCE) {
          const value: unknown = args[name];
          if (Array.isArray(value))
            return reject(
              new ProbeError('usage', `--${name} is given ${value.length} times; give it once (see healthsock --help)`),
            );
        }
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
