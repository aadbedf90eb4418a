import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../src/model/limits.js';
import {
  describeValue,
  invalidOption,
  rejectUnknownKeys,
  validateAtMost,
  validateBoolean,
  validateBudget,
  validateDuration,
  validateFileMode,
  validateFilePath,
  validateFunction,
  validateHeaders,
  validateHost,
  validateHttpUrl,
  validateInteger,
  validateKnown,
  validateList,
  validateMethods,
  validateName,
  validateNumber,
  validateObject,
  validateOneOf,
  validateCheckOptions,
  validatePort,
  validateSignals,
  validateSocketPath,
  validateString,
  validateUrlPath,
  validateWhole,
} from '../src/options/validators.js';

/** What a refused option throws: ERR_INVALID_OPTION and exactly `message`. */
const refused = (message: string | RegExp) =>
  expect.objectContaining({
    name: 'HealthsockError',
    code: 'ERR_INVALID_OPTION',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

describe('describeValue', () => {
  it('shows each value as it was given, short', () => {
    expect(describeValue('50')).toBe('"50"');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(5n)).toBe('5n');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(false)).toBe('false');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(58)}…"`);
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(describeValue(proxy)).toBe('an object');
  });
});

describe('invalidOption and rejectUnknownKeys', () => {
  it('builds ERR_INVALID_OPTION with the message as given', () => {
    expect(invalidOption('port 9000 is configured twice')).toEqual(refused('port 9000 is configured twice'));
  });

  it('names the unknown key, suggests the nearest known one, and lists them all', () => {
    expect(() => rejectUnknownKeys('http', { prot: 1 }, ['port', 'host'])).toThrow(
      refused('http has an unknown option "prot"; did you mean "port"? Known options: port, host'),
    );
    expect(() => rejectUnknownKeys('http', { zzzzzz: 1 }, ['port', 'host'])).toThrow(
      refused('http has an unknown option "zzzzzz"; known options: port, host'),
    );
    expect(() => rejectUnknownKeys('http', { port: 1, host: 'h' }, ['port', 'host'])).not.toThrow();
  });
});

describe('objects', () => {
  it('accepts a plain object and refuses anything else, naming it', () => {
    expect(validateObject('grpc', { port: 1 }, { known: ['port'] })).toEqual({ port: 1 });
    for (const [bad, shown] of [
      [null, 'null'],
      [[], 'an array'],
      [50051, '50051'],
      ['x', '"x"'],
    ] as const) {
      expect(() => validateObject('grpc', bad)).toThrow(refused(`grpc must be an object, got ${shown}`));
    }
  });

  it('refuses an unknown key where the user wrote it, and shows an example when there is one', () => {
    expect(() =>
      validateObject('options', { socket: '/x' }, { known: ['socketPath'], where: 'createHealthServer()' }),
    ).toThrow(refused(/^createHealthServer\(\) has an unknown option "socket"; did you mean "socketPath"\?/));
    expect(() => validateObject('http.paths', ['/x'], { example: '{"readiness": ["/ready"]}' })).toThrow(
      refused('http.paths must be an object such as {"readiness": ["/ready"]}, got ["/x"]'),
    );
  });

  it("takes a check's absent options as an empty object, and names the check otherwise", () => {
    expect(validateCheckOptions('heap', undefined, [])).toEqual({});
    expect(() => validateCheckOptions('heap', 5 as never, [])).toThrow(
      refused('checks.heap: options must be an object, got 5'),
    );
    expect(() => validateCheckOptions('lanes', { grace: 1 }, ['graceMs'])).toThrow(
      refused('checks.lanes has an unknown option "grace"; did you mean "graceMs"? Known options: graceMs'),
    );
  });

  it('wants the methods of an object such as a logger', () => {
    expect(validateMethods('logger', console, ['warn', 'info'], 'such as console')).toBe(console);
    expect(() => validateMethods('logger', { warn() {} }, ['warn', 'info'], 'such as console')).toThrow(
      refused('logger must have warn and info methods, such as console, got an object'),
    );
  });
});

describe('numbers', () => {
  it('integers: the edges of the range pass; fractions, strings and NaN do not', () => {
    expect(validateInteger('maxConnections', 1, 1, 10)).toBe(1);
    expect(validateInteger('maxConnections', 10, 1, 10)).toBe(10);
    for (const [bad, shown] of [
      [0, '0'],
      [11, '11'],
      [1.5, '1.5'],
      ['5', '"5"'],
      [Number.NaN, 'NaN'],
      [undefined, 'undefined'],
    ] as const) {
      expect(() => validateInteger('maxConnections', bad, 1, 10)).toThrow(
        refused(`maxConnections is ${shown}; it must be an integer from 1 to 10`),
      );
    }
    expect(() => validateInteger('tcp[0].intervalMs', 50, 100, MAX_TIMER_MS, ' ms')).toThrow(
      refused(`tcp[0].intervalMs is 50; it must be an integer from 100 to ${MAX_TIMER_MS} ms`),
    );
  });

  it('returns a number in range and rejects anything else with the check, option and value', () => {
    expect(validateNumber('checks.heap: maxUsedRatio', 0.5, 0, 1)).toBe(0.5);
    expect(validateNumber('checks.heap: maxUsedRatio', 0, 0, 1)).toBe(0);
    expect(validateNumber('checks.heap: maxUsedRatio', 1, 0, 1)).toBe(1);
    for (const bad of [1.5, -1, Number.NaN, Infinity, '0.5', undefined, null]) {
      expect(() => validateNumber('checks.heap: maxUsedRatio', bad, 0, 1)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_OPTION',
          message: expect.stringMatching(/^checks\.heap: maxUsedRatio is .+; it must be a number from 0 to 1$/),
        }),
      );
    }
  });

  it('whole numbers, and one option no more than another', () => {
    expect(validateWhole('checks.tcp: port', 5672)).toBe(5672);
    expect(() => validateWhole('checks.tcp: port', 1.5)).toThrow(
      refused('checks.tcp: port must be an integer, got 1.5'),
    );
    expect(validateAtMost('checks.heap: degradedRatio', 0.9, 'maxUsedRatio', 0.9)).toBe(0.9);
    expect(() => validateAtMost('checks.heap: degradedRatio', 0.6, 'maxUsedRatio', 0.5)).toThrow(
      refused('checks.heap: degradedRatio 0.6 is above maxUsedRatio 0.5'),
    );
  });

  it('durations: from 1 ms up to the longest a timer waits, fractions allowed', () => {
    expect(validateDuration('check "db": timeoutMs', 1)).toBe(1);
    expect(validateDuration('check "db": timeoutMs', 2.5)).toBe(2.5);
    expect(validateDuration('check "db": timeoutMs', MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    for (const [bad, shown] of [
      [0, '0'],
      [MAX_TIMER_MS + 1, String(MAX_TIMER_MS + 1)],
      [Infinity, 'Infinity'],
      ['50', '"50"'],
    ] as const) {
      expect(() => validateDuration('check "db": timeoutMs', bad)).toThrow(
        refused(`check "db": timeoutMs is ${shown}; it must be a number of milliseconds from 1 to ${MAX_TIMER_MS}`),
      );
    }
  });

  it('budgets: anything above 0, Infinity included', () => {
    expect(validateBudget('budgetMs', 0.5)).toBe(0.5);
    expect(validateBudget('budgetMs', Infinity)).toBe(Infinity);
    for (const [bad, shown] of [
      [0, '0'],
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      ['5', '"5"'],
    ] as const) {
      expect(() => validateBudget('budgetMs', bad)).toThrow(
        refused(`budgetMs is ${shown}; it must be a number of milliseconds above 0`),
      );
    }
  });

  it('ports: 0 to 65535', () => {
    expect(validatePort('http.port', 0)).toBe(0);
    expect(validatePort('http.port', 65535)).toBe(65535);
    for (const [bad, shown] of [
      [-1, '-1'],
      [65536, '65536'],
      [80.5, '80.5'],
      ['8080', '"8080"'],
    ] as const) {
      expect(() => validatePort('http.port', bad)).toThrow(
        refused(`http.port is ${shown}; it must be a port from 1 to 65535 (0: any free port)`),
      );
    }
  });

  it('file modes: octal permission bits, with a hint for a mode written in decimal', () => {
    expect(validateFileMode('socketMode', 0)).toBe(0);
    expect(validateFileMode('socketMode', 0o777)).toBe(0o777);
    expect(() => validateFileMode('socketMode', 660)).toThrow(
      refused(
        'socketMode is 660, which is decimal; write it in octal, 0o660 (the permission bits, e.g. 0o600 or 0o660)',
      ),
    );
    expect(() => validateFileMode('socketMode', '660')).toThrow(
      refused('socketMode is "660"; it must be an integer from 0 to 511; write it in octal, 0o660'),
    );
    expect(() => validateFileMode('socketMode', 999)).toThrow(
      refused('socketMode is 999; it must be an integer from 0 to 511'),
    );
  });
});

describe('strings, paths and names', () => {
  it('strings: blank or not as the option allows', () => {
    expect(validateString('checks.tcp: host', 'db')).toBe('db');
    expect(() => validateString('checks.tcp: host', ' ')).toThrow(
      refused('checks.tcp: host must be a non-empty string, got " "'),
    );
    expect(validateString('checks.lanes: a lane name', ' ', 'a non-empty string', 'nonEmpty')).toBe(' ');
    expect(() => validateString('checks.lanes: a lane name', '', 'a non-empty string', 'nonEmpty')).toThrow(
      refused('checks.lanes: a lane name must be a non-empty string, got ""'),
    );
    expect(validateString('only', '', 'a check name', 'any')).toBe('');
    expect(() => validateString('only', 5, 'a check name', 'any')).toThrow(refused('only must be a check name, got 5'));
  });

  it('hosts: optional, not blank', () => {
    expect(validateHost('grpc.host', undefined)).toBeUndefined();
    expect(validateHost('grpc.host', '::1')).toBe('::1');
    expect(() => validateHost('grpc.host', ' ')).toThrow(refused('grpc.host must be a host name or address, got " "'));
  });

  it('file paths: absolute, not a directory, no NUL', () => {
    expect(validateFilePath('heartbeat.path', '/tmp/alive')).toBe('/tmp/alive');
    for (const [bad, shown] of [
      ['alive', '"alive"'],
      ['/tmp/', '"/tmp/"'],
      ['/tmp/a\0b', '"/tmp/a\\u0000b"'],
      [5, '5'],
    ] as const) {
      expect(() => validateFilePath('heartbeat.path', bad)).toThrow(
        refused(`heartbeat.path must be an absolute file path, got ${shown}`),
      );
    }
  });

  it('socket paths: an address, or ERR_SOCKET_PATH_TOO_LONG past the limit', () => {
    expect(validateSocketPath('socketPath', '@hs')).toEqual({ display: '@hs', native: '\0hs', abstract: true });
    expect(() => validateSocketPath('socketPath', 5)).toThrow(refused('socketPath must be a string, got 5'));
    expect(() => validateSocketPath('socketPath', '')).toThrow(refused('socket path "" is empty'));
    expect(() => validateSocketPath('socketPath', `/${'x'.repeat(200)}`)).toThrow(
      expect.objectContaining({ code: 'ERR_SOCKET_PATH_TOO_LONG', message: expect.stringMatching(/is 201 bytes/) }),
    );
  });

  it('names: short and on one line', () => {
    expect(validateName('check name', 'n'.repeat(100), 100)).toBe('n'.repeat(100));
    for (const bad of ['', ' ', 'n'.repeat(101), 'two\nlines', 5]) {
      expect(() => validateName('check name', bad, 100)).toThrow(
        refused(/^check name must be a non-empty string of at most 100 characters on one line, got /),
      );
    }
  });

  it('URL paths: from "/", with no spaces, query or fragment, and short', () => {
    expect(validateUrlPath('http.paths.liveness', '/livez', 200)).toBe('/livez');
    for (const bad of ['livez', '/a b', '/a?b', '/a#b', `/${'x'.repeat(200)}`, 5]) {
      expect(() => validateUrlPath('http.paths.liveness', bad, 200)).toThrow(
        refused(
          /^http\.paths\.liveness has .+; a path starts with "\/", has no spaces, "\?" or "#", and is at most 200 characters$/,
        ),
      );
    }
  });

  it('HTTP URLs: http: or https: only', () => {
    expect(validateHttpUrl('checks.http: url', 'https://x/').href).toBe('https://x/');
    expect(validateHttpUrl('checks.http: url', new URL('http://x/')).href).toBe('http://x/');
    for (const [bad, shown] of [
      ['ftp://x/', '"ftp://x/"'],
      ['not a url', '"not a url"'],
      [5, '"5"'],
    ] as const) {
      expect(() => validateHttpUrl('checks.http: url', bad)).toThrow(
        refused(`checks.http: url must be an http: or https: URL, got ${shown}`),
      );
    }
  });

  it('headers: names that are tokens, values without line breaks, and values never shown', () => {
    expect(validateHeaders('checks.http', undefined)).toEqual({});
    expect(validateHeaders('checks.http', { authorization: 'Bearer x' })).toEqual({ authorization: 'Bearer x' });
    expect(() => validateHeaders('checks.http', { a: 1 })).toThrow(
      refused('checks.http: headers must be an object of strings'),
    );
    expect(() => validateHeaders('checks.http', { 'a b': 'x' })).toThrow(
      refused(/^checks\.http: header name "a b" is not a valid HTTP header name/),
    );
    expect(() => validateHeaders('checks.http', { a: 'secret\n' })).toThrow(
      refused(/^checks\.http: the value of header "a" has a line break or NUL/),
    );
    expect(() => validateHeaders('checks.http', { a: 'secret\n' })).not.toThrow(/secret/);
  });
});

describe('flags, enums, lists and functions', () => {
  it('flags: false unless given, then true or false only', () => {
    expect(validateBoolean('http.details', undefined)).toBe(false);
    expect(validateBoolean('http.details', true)).toBe(true);
    expect(() => validateBoolean('http.details', 'yes')).toThrow(
      refused('http.details must be true or false, got "yes"'),
    );
  });

  it('one of a list, with a fallback when absent', () => {
    const probes = ['liveness', 'readiness', 'startup'] as const;
    expect(validateOneOf('tcp[0].probe', undefined, probes, 'liveness')).toBe('liveness');
    expect(validateOneOf('tcp[0].probe', 'startup', probes)).toBe('startup');
    expect(() => validateOneOf('tcp[0].probe', 'ready', probes)).toThrow(
      refused('tcp[0].probe is "ready"; use one of liveness, readiness, startup'),
    );
    expect(() => validateOneOf('tcp[0].probe', undefined, probes)).toThrow(
      refused('tcp[0].probe is undefined; use one of liveness, readiness, startup'),
    );
    expect(validateKnown('unknown event', 'change', ['change', 'error'], "'change' or 'error'")).toBe('change');
    expect(() => validateKnown('unknown event', 'close', ['change', 'error'], "'change' or 'error'")).toThrow(
      refused(`unknown event "close"; use 'change' or 'error'`),
    );
  });

  it('lists: every item as wanted, and not empty when that is the rule', () => {
    const isName = (item: unknown) => typeof item === 'string';
    expect(validateList('exclude', [], 'a list of check names', { item: isName })).toEqual([]);
    expect(() => validateList('exclude', ['a', 1], 'a list of check names', { item: isName })).toThrow(
      refused('exclude must be a list of check names, got ["a",1]'),
    );
    expect(() => validateList('exclude', 'a', 'a list of check names', { item: isName })).toThrow(
      refused('exclude must be a list of check names, got "a"'),
    );
    expect(() => validateList('probes', [], 'a non-empty list of probes', { item: isName, nonEmpty: true })).toThrow(
      refused('probes must be a non-empty list of probes, got []'),
    );
  });

  it('signals: catchable names, each once', () => {
    expect(validateSignals('shutdownSignals', ['SIGTERM', 'SIGINT', 'SIGTERM'])).toEqual(['SIGTERM', 'SIGINT']);
    expect(() => validateSignals('shutdownSignals', 'SIGTERM')).toThrow(
      refused(`shutdownSignals must be a list of signal names such as ['SIGTERM'], got "SIGTERM"`),
    );
    expect(() => validateSignals('shutdownSignals', ['SIGTREM'])).toThrow(
      refused(`shutdownSignals: "SIGTREM" is not a signal name; use e.g. 'SIGTERM' or 'SIGINT'`),
    );
    expect(() => validateSignals('shutdownSignals', ['SIGKILL'])).toThrow(
      refused(`shutdownSignals: SIGKILL cannot be caught by a process; use e.g. 'SIGTERM' or 'SIGINT'`),
    );
    expect(() => validateSignals('shutdownSignals', ['SIGPIPE'])).toThrow(
      refused(/^shutdownSignals: SIGPIPE is ignored by Node/),
    );
  });

  it('functions: optional unless said otherwise', () => {
    const redact = () => '';
    expect(validateFunction('redact', undefined)).toBeUndefined();
    expect(validateFunction('redact', redact)).toBe(redact);
    expect(() => validateFunction('onShutdown', 'stop')).toThrow(refused('onShutdown must be a function, got "stop"'));
    expect(() => validateFunction('check "db"', undefined, false)).toThrow(
      refused('check "db" must be a function, got undefined'),
    );
  });
});
