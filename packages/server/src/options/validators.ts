import type * as Os from 'node:os';
import { isAbsolute } from 'node:path';
import { requireBuiltin } from '../shared/requireBuiltin.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import { healthsockError } from '../model/errors.js';
import { MAX_TIMER_MS } from '../model/limits.js';
import { isOneLine } from '../shared/oneLine.js';
import { resolveSocketAddress, type SocketAddress } from '../model/resolveSocketAddress.js';

/*
 * Every option, argument and setting a user hands `@healthsock/server` is checked here, before any
 * I/O. A validator returns the value when it is acceptable and otherwise throws ERR_INVALID_OPTION
 * (through the error catalogue) with a message that names the option, shows the value as it was
 * given, and says what it must be instead. `name` is the option as the user would find it in their
 * code, with its place: `http.port`, `checks.heap: maxUsedRatio`, `check "db": timeoutMs`.
 */

/** An ERR_INVALID_OPTION with `message`, for a rule that joins several options (a port given twice). */
export function invalidOption(message: string): HealthsockError {
  return healthsockError('ERR_INVALID_OPTION', 'option', [message]);
}

/**
 * A value as an error message shows it: as it was given, short, and never throwing. A string is
 * quoted (`"50"`, so that it reads as a string and not as the number), `NaN` stays `NaN`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const quoted = JSON.stringify(value);
      return quoted.length > 60 ? `${quoted.slice(0, 59)}…"` : quoted;
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    default:
      if (value === null) return 'null';
      try {
        return Array.isArray(value) ? 'an array' : 'an object';
      } catch {
        // A revoked proxy cannot even say whether it is an array.
        return 'an object';
      }
  }
}

/** A list as a message shows it: its items, since "an array" would not say which one is wrong. */
function describeList(value: unknown): string {
  try {
    if (Array.isArray(value)) return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    // A revoked proxy, a cycle or a bigint: said in the general way below.
  }
  return describeValue(value);
}

/**
 * Throws for the first key of `given` that is not in `known`, suggesting the nearest known key: in
 * plain JavaScript a misspelt option (`socket:` for `socketPath:`) would otherwise be ignored
 * without a word, and its default used instead.
 */
export function rejectUnknownKeys(where: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const nearest = nearestKey(key, known);
    throw invalidOption(
      `${where} has an unknown option ${JSON.stringify(key).slice(0, 60)}${nearest ? `; did you mean ${JSON.stringify(nearest)}? Known` : '; known'} options: ${known.join(', ')}`,
    );
  }
}

/** The known key closest to `key` by edit distance (case ignored), or one that contains it or that it contains. */
function nearestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  // Beyond a third of the name, a suggestion is a guess.
  return best && best.distance <= Math.max(2, Math.ceil(key.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What else {@link validateObject} checks, and how it words a refusal. */
export interface ObjectRules {
  /** Every key the object may have; any other is refused as an unknown option of `where`, with the nearest known key. */
  known?: readonly string[] | undefined;
  /** Where an unknown key is, e.g. `createHealthServer()`. Default: the name. */
  where?: string | undefined;
  /** An object that fits, shown when the value is not one, e.g. `{"readiness": ["/ready"]}`. */
  example?: string | undefined;
}

/** An options object (not null, not an array), with only known keys if `rules.known` lists them. */
export function validateObject(name: string, value: unknown, rules: ObjectRules = {}): Record<string, unknown> {
  if (!isPlainObject(value)) {
    const such = rules.example === undefined ? '' : ` such as ${rules.example}`;
    throw invalidOption(
      `${name} must be an object${such}, got ${rules.example === undefined ? describeValue(value) : describeList(value)}`,
    );
  }
  if (rules.known) rejectUnknownKeys(rules.where ?? name, value, rules.known);
  return value;
}

/** The options of a built-in check, `checks.<check>(options)`: an object with only `known` keys, or nothing. */
export function validateCheckOptions<T extends object>(
  check: string,
  value: T | undefined,
  known: readonly string[],
): T {
  // Absent options are an empty object, so that a required one is then named as missing.
  if (value === undefined) return {} as T;
  return validateObject(`checks.${check}: options`, value, { known, where: `checks.${check}` }) as T;
}

/** An object with the methods `methods`, e.g. a logger; `example` names one that fits. */
export function validateMethods<T>(name: string, value: unknown, methods: readonly string[], example: string): T {
  const shaped = value as Record<string, unknown> | null | undefined;
  if (!methods.every((method) => typeof shaped?.[method] === 'function')) {
    throw invalidOption(`${name} must have ${methods.join(' and ')} methods, ${example}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** A whole number from `min` to `max`; `hint` ends the message, e.g. with the unit. */
export function validateInteger(name: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(`${name} is ${describeValue(value)}; it must be an integer from ${min} to ${max}${hint}`);
  }
  return value;
}

/** A finite number from `min` to `max`. */
export function validateNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidOption(`${name} is ${describeValue(value)}; it must be a number from ${min} to ${max}`);
  }
  return value;
}

/** A number that is whole, once its range is known to be right. */
export function validateWhole(name: string, value: number): number {
  if (!Number.isInteger(value)) throw invalidOption(`${name} must be an integer, got ${describeValue(value)}`);
  return value;
}

/** `value` no more than the option `limitName` it depends on, e.g. a degraded ratio below the unhealthy one. */
export function validateAtMost(name: string, value: number, limitName: string, limit: number): number {
  if (value > limit) throw invalidOption(`${name} ${value} is above ${limitName} ${limit}`);
  return value;
}

/** A duration in ms, from `min` up to the longest a timer can wait; fractions are allowed. */
export function validateDuration(name: string, value: unknown, min = 1, max = MAX_TIMER_MS): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidOption(
      `${name} is ${describeValue(value)}; it must be a number of milliseconds from ${min} to ${max}`,
    );
  }
  return value;
}

/** A time budget in ms: any number above 0, `Infinity` for none. */
export function validateBudget(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw invalidOption(`${name} is ${describeValue(value)}; it must be a number of milliseconds above 0`);
  }
  return value;
}

/** A TCP port to listen on; 0 lets the system choose. */
export function validatePort(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw invalidOption(`${name} is ${describeValue(value)}; it must be a port from 1 to 65535 (0: any free port)`);
  }
  return value;
}

/** How much a string must hold: anything, at least one character, or more than spaces. */
export type StringRule = 'any' | 'nonEmpty' | 'notBlank';

/** A string with something in it (see `rule`); `what` says what it stands for, e.g. `a host name or address`. */
export function validateString(
  name: string,
  value: unknown,
  what = 'a non-empty string',
  rule: StringRule = 'notBlank',
): string {
  if (
    typeof value !== 'string' ||
    (rule === 'nonEmpty' && value === '') ||
    (rule === 'notBlank' && value.trim() === '')
  ) {
    throw invalidOption(`${name} must be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

/** An optional host to listen on or connect to. */
export function validateHost(name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : validateString(name, value, 'a host name or address');
}

/** An optional flag, false unless given. */
export function validateBoolean(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalidOption(`${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** An absolute path to a file: not a directory (`/` at the end), no NUL byte. */
export function validateFilePath(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isAbsolute(value) || value.includes('\0') || value.endsWith('/')) {
    throw invalidOption(`${name} must be an absolute file path, got ${describeValue(value)}`);
  }
  return value;
}

/** One of `allowed`, or `fallback` when absent (if there is one). */
export function validateOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw invalidOption(`${name} is ${describeValue(value)}; use one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * A name from a fixed set, such as an event or a probe, where the message starts with what is
 * unknown: `unknown event "close"; use 'change' or 'error'`.
 */
export function validateKnown<T extends string>(
  unknown: string,
  value: unknown,
  allowed: readonly T[],
  use: string,
): T {
  if (!(allowed as readonly unknown[]).includes(value))
    throw invalidOption(`${unknown} ${describeValue(value)}; use ${use}`);
  return value as T;
}

/** What {@link validateList} wants of a list besides being one. */
export interface ListRules {
  /** Whether an item is acceptable. Default: any is. */
  item?: ((given: unknown) => boolean) | undefined;
  /** Whether an empty list is refused. Default false. */
  nonEmpty?: boolean | undefined;
}

/** A list whose items all pass `rules.item`; `what` says what it must be, e.g. `a list of check names`. */
export function validateList<T>(name: string, value: unknown, what: string, rules: ListRules = {}): T[] {
  const { item = () => true, nonEmpty = false } = rules;
  if (!Array.isArray(value) || (nonEmpty && value.length === 0) || !value.every((given) => item(given))) {
    throw invalidOption(`${name} must be ${what}, got ${describeList(value)}`);
  }
  return value as T[];
}

/** A function, or nothing when the option is optional. */
export function validateFunction<T>(name: string, value: T, optional = true): T {
  if ((value !== undefined || !optional) && typeof value !== 'function') {
    throw invalidOption(`${name} must be a function, got ${describeValue(value)}`);
  }
  return value;
}

/** A name shown in every reply line and in pod events: short, and on one line. */
export function validateName(name: string, value: unknown, maxChars: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxChars || !isOneLine(value)) {
    throw invalidOption(
      `${name} must be a non-empty string of at most ${maxChars} characters on one line, got ${String(JSON.stringify(value)).slice(0, 60)}`,
    );
  }
  return value;
}

/** A path for an HTTP endpoint: from `/`, with no spaces, query or fragment. */
export function validateUrlPath(name: string, value: unknown, maxChars: number): string {
  if (typeof value !== 'string' || !/^\/[^\s?#]*$/.test(value) || value.length > maxChars) {
    throw invalidOption(
      `${name} has ${JSON.stringify(value)}; a path starts with "/", has no spaces, "?" or "#", and is at most ${maxChars} characters`,
    );
  }
  return value;
}

/** An `http:` or `https:` URL, given as a string or a URL. */
export function validateHttpUrl(name: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' || value instanceof URL ? new URL(value) : undefined;
  } catch {
    // Reported below, with the value.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalidOption(`${name} must be an http: or https: URL, got ${JSON.stringify(String(value))}`);
  }
  return url;
}

/** An HTTP token (RFC 9110), the only characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Request headers, refused here rather than by Node at the first request, which would fail the
 * check for ever. A value is never shown: it is often a secret.
 */
export function validateHeaders(where: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value) || !Object.values(value).every((header) => typeof header === 'string')) {
    throw invalidOption(`${where}: headers must be an object of strings`);
  }
  for (const [header, text] of Object.entries(value as Record<string, string>)) {
    if (!HEADER_NAME.test(header)) {
      throw invalidOption(
        `${where}: header name ${JSON.stringify(header).slice(0, 60)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      );
    }
    if (/[\r\n\0]/.test(text)) {
      throw invalidOption(
        `${where}: the value of header ${JSON.stringify(header)} has a line break or NUL, which no request can carry; a value read from a file keeps its trailing newline, so trim it`,
      );
    }
  }
  return { ...(value as Record<string, string>) };
}

/** A socket path or `@name`, as an address; an over-long one is ERR_SOCKET_PATH_TOO_LONG. */
export function validateSocketPath(name: string, value: unknown): SocketAddress {
  if (typeof value !== 'string') throw invalidOption(`${name} must be a string, got ${describeValue(value)}`);
  const resolved = resolveSocketAddress(value);
  if (!resolved.ok)
    throw resolved.tooLong
      ? healthsockError('ERR_SOCKET_PATH_TOO_LONG', 'path', [resolved.reason])
      : invalidOption(resolved.reason);
  return resolved.address;
}

/** Permission bits are octal: `660` written in decimal is almost always meant as `0o660`. */
export function validateFileMode(name: string, value: unknown): number {
  const digits = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const octal = /^[0-7]{3,4}$/.test(digits) ? `; write it in octal, 0o${digits.replace(/^0/, '')}` : '';
  if (typeof value === 'number' && value > 0o777 && octal) {
    throw invalidOption(`${name} is ${value}, which is decimal${octal} (the permission bits, e.g. 0o600 or 0o660)`);
  }
  return validateInteger(name, value, 0, 0o777, octal);
}

/** Signals that cannot start a shutdown, and why. */
const REFUSED_SIGNALS: Readonly<Record<string, string>> = {
  SIGKILL: 'cannot be caught by a process',
  SIGSTOP: 'cannot be caught by a process',
  // Listening and then stopping resets them to the system's default, which ends the process.
  SIGPIPE: 'is ignored by Node, so that a write to a closed connection cannot kill the worker',
  SIGXFSZ: 'is ignored by Node, so that an oversized write fails instead of killing the worker',
};

/**
 * Signal names this platform knows and a process can catch, each once. A typo (`SIGTREM`) would
 * otherwise leave a handler silently unset, Node's default killing the worker.
 */
export function validateSignals(name: string, value: unknown): readonly NodeJS.Signals[] {
  if (!Array.isArray(value)) {
    throw invalidOption(`${name} must be a list of signal names such as ['SIGTERM'], got ${describeValue(value)}`);
  }
  // Required here rather than imported with the package: `node:os` is loaded by nothing else.
  const { constants } = requireBuiltin('node:os') as typeof Os;
  for (const signal of value) {
    if (typeof signal !== 'string' || !Object.hasOwn(constants.signals, signal)) {
      throw invalidOption(`${name}: ${describeValue(signal)} is not a signal name; use e.g. 'SIGTERM' or 'SIGINT'`);
    }
    const refused = REFUSED_SIGNALS[signal];
    if (refused) throw invalidOption(`${name}: ${signal} ${refused}; use e.g. 'SIGTERM' or 'SIGINT'`);
  }
  return [...new Set(value as NodeJS.Signals[])];
}
