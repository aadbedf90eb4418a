import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/targets/parseTarget.js';

describe('parseTarget', () => {
  it('reads socket paths, abstract names and unix: targets as sockets', () => {
    expect(parseTarget('/run/app/health.sock', 'liveness')).toMatchObject({
      kind: 'unix',
      display: '/run/app/health.sock',
      address: { native: '/run/app/health.sock', abstract: false },
    });
    expect(parseTarget('@worker', 'liveness')).toMatchObject({ kind: 'unix', address: { native: '\0worker' } });
    expect(parseTarget('unix:/run/a.sock', 'liveness')).toMatchObject({ kind: 'unix', display: '/run/a.sock' });
    expect(parseTarget('unix:///run/a.sock', 'liveness')).toMatchObject({ kind: 'unix', display: '/run/a.sock' });
    expect(parseTarget('health.sock', 'liveness')).toMatchObject({ kind: 'unix', display: 'health.sock' });
  });

  it.each([
    ['liveness', '/livez'],
    ['readiness', '/readyz'],
    ['startup', '/startupz'],
  ] as const)('gives an http(s) URL without a path the %s path %s', (probe, path) => {
    expect(parseTarget('http://127.0.0.1:8080', probe)).toMatchObject({
      kind: 'http',
      display: `http://127.0.0.1:8080${path}`,
    });
    expect(parseTarget('https://[::1]:8443/', probe)).toMatchObject({ display: `https://[::1]:8443${path}` });
  });

  it('keeps a path and query given in the URL', () => {
    expect(parseTarget('http://localhost:9000/health?x=1', 'readiness').display).toBe(
      'http://localhost:9000/health?x=1',
    );
  });

  it('reads grpc:// and grpcs:// as URLs, named by the service the probe will ask', () => {
    expect(parseTarget('grpc://127.0.0.1:50051', 'readiness')).toMatchObject({
      kind: 'grpc',
      display: 'grpc://127.0.0.1:50051/readiness',
      probe: 'readiness',
    });
    expect(parseTarget('grpcs://[::1]:443/readiness/db', 'liveness').display).toBe('grpcs://[::1]:443/readiness/db');
  });

  it('reads tcp://host:port, IPv6 literals included', () => {
    expect(parseTarget('tcp://127.0.0.1:5432', 'liveness')).toEqual({
      kind: 'tcp',
      display: 'tcp://127.0.0.1:5432',
      host: '127.0.0.1',
      port: 5432,
    });
    expect(parseTarget('tcp://[::1]:6379', 'liveness')).toMatchObject({ host: '::1', port: 6379 });
  });

  it('reads file: and file:// targets', () => {
    expect(parseTarget('file:/run/hb', 'liveness')).toEqual({ kind: 'file', display: 'file:/run/hb', path: '/run/hb' });
    expect(parseTarget('file:///run/hb', 'liveness')).toMatchObject({ path: '/run/hb' });
    expect(parseTarget('file:hb', 'liveness')).toMatchObject({ path: 'hb' });
  });

  it.each([
    ['tcp://127.0.0.1', /must be tcp:\/\/host:port/],
    ['tcp://127.0.0.1:0', /must be tcp:\/\/host:port/],
    ['tcp://127.0.0.1:5432/db', /must be tcp:\/\/host:port/],
    ['http://', /not a valid URL/],
    ['ftp://host/x', /unknown scheme ftp:\/\//],
    ['file:', /names no file/],
    ['', /is empty/],
    [`/tmp/${'x'.repeat(120)}`, /the limit is 107/],
    [`http://${'h'.repeat(300)}`, /longer than 253/],
  ])('refuses %j with a usage error', (text, message) => {
    expect(() => parseTarget(text, 'liveness')).toThrow(
      expect.objectContaining({ code: 'usage', message: expect.stringMatching(message) }),
    );
  });
});
