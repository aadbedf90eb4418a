import { DEFAULT_MAX_AGE, DEFAULT_TIMEOUT, type Values } from './Values.js';

/** The options that take a value, by every spelling, and the value each sets. */
const VALUE_OPTIONS: Readonly<Record<string, 'socket' | 'target' | 'timeout' | 'maxAge'>> = {
  '-s': 'socket',
  '--socket': 'socket',
  '--target': 'target',
  '-t': 'timeout',
  '--timeout': 'timeout',
  '--max-age': 'maxAge',
};

/** The switches, by every spelling, and the value each sets. */
const SWITCHES: Readonly<Record<string, 'json' | 'verbose' | 'quiet'>> = {
  '--json': 'json',
  '-v': 'verbose',
  '--verbose': 'verbose',
  '-q': 'quiet',
  '--quiet': 'quiet',
};

/**
 * The plain command line of a probe, read without any parser library: arguments, the options
 * above each given at most once in the spelling `--name value` or `-x value`, and the
 * switches. It is what probes in manifests write, and reading it this way spares every probe
 * compiling yargs-parser (about 7 M instructions). Anything else, such as `--name=value`,
 * `-vq`, `--no-json`, `--`, a repeat, an empty value or one that starts with `-`, returns
 * `undefined` and goes to yargs-parser and yargs exactly as before; the tests check that both
 * read every plain command line alike.
 */
export function parsePlainCommandLine(argv: readonly string[]): Values | undefined {
  const values: Values = {
    positionals: [],
    socket: undefined,
    target: undefined,
    timeout: DEFAULT_TIMEOUT,
    maxAge: DEFAULT_MAX_AGE,
    json: false,
    verbose: false,
    quiet: false,
    headers: [],
  };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '') return undefined;
    if (!token.startsWith('-')) {
      values.positionals.push(token);
      continue;
    }
    const key = VALUE_OPTIONS[token] ?? SWITCHES[token];
    if (key === undefined || seen.has(key)) return undefined;
    seen.add(key);
    if (key === 'json' || key === 'verbose' || key === 'quiet') {
      values[key] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    values[key] = value;
  }
  return values.positionals.length <= 2 ? values : undefined;
}
