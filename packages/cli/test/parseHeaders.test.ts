import { describe, expect, it } from 'vitest';
import { parseHeaders } from '../src/parseHeaders.js';

describe('parseHeaders', () => {
  it('reads name: value as gRPC metadata, the name in lower case and the value trimmed', () => {
    expect(parseHeaders(['Authorization: Bearer a:b', 'x-a:1', 'x-a: 2 '])).toEqual([
      ['authorization', 'Bearer a:b'],
      ['x-a', '1'],
      ['x-a', '2'],
    ]);
  });

  it.each([
    'novalue',
    'bad name: x',
    ': x',
    'x-a: one\ntwo',
    'content-type: text/plain',
    'grpc-timeout: 1S',
    'te: x',
    'Host: h',
  ])('refuses %j with a usage error', (bad) => {
    expect(() => parseHeaders([bad])).toThrow(expect.objectContaining({ code: 'usage' }));
  });
});
