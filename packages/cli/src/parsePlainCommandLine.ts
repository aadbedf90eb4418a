import { defaultValues, type Values } from './Values.js';

/** The options that take a value, by every spelling, and the value each sets. */
const VALUE_OPTIONS: Readonly<Record<string, 'socket' | 'target' | 'timeout' | 'maxAge' | 'headers'>> = {
  '-s': 'socket',
  '--socket': 'socket',
  '--target': 'target',
  '-t': 'timeout',
  '--timeout': 'timeout',
  '--max-age': 'maxAge',
  '-H': 'headers',
  '--header': 'headers',
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
 * The command line that probes write, read without any parser library: at most two arguments,
 * the options above in the spelling `--name value`, `--name=value` or `-x value`, each at most
 * once except the repeatable `--header`, and the switches. Reading it this way spares every probe
 * loading yargs. Anything else, such as `-vq`, `--no-json`, `--`, `--help`, an unknown option, a
 * repeat, or an empty value or one that starts with `-`, returns `undefined` and goes to full
 * yargs, which decides it (help, version, usage errors). The tests check that yargs reads every
 * line this takes alike, but for one difference kept on purpose: a `true` or `false` after a
 * switch stays an argument here (as it always has, and in the native binary), where yargs would
 * take it as the switch's value.
 */
export function parsePlainCommandLine(argv: readonly string[]): Values | undefined {
  const values = defaultValues();
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    let token = argv[i] as string;
    if (token === '') return undefined;
    if (token.charCodeAt(0) !== 0x2d /* - */) {
      values.positionals.push(token);
      continue;
    }
    // `--name=value`: the value is what follows the first `=`.
    let value: string | undefined;
    const equals = token.startsWith('--') ? token.indexOf('=') : -1;
    if (equals !== -1) [token, value] = [token.slice(0, equals), token.slice(equals + 1)];
    const switched = SWITCHES[token];
    if (switched !== undefined) {
      if (value !== undefined || seen.has(switched)) return undefined;
      seen.add(switched);
      values[switched] = true;
      continue;
    }
    const key = VALUE_OPTIONS[token];
    if (key === undefined || (key !== 'headers' && seen.has(key))) return undefined;
    seen.add(key);
    value ??= argv[++i];
    if (value === undefined || value === '' || value.charCodeAt(0) === 0x2d) return undefined;
    if (key === 'headers') values.headers.push(value);
    else values[key] = value;
  }
  return values.positionals.length <= 2 ? values : undefined;
}
