import { describe, expect, it } from 'vitest';
import { parseGrpcTimeout } from '../src/transports/grpc/parseGrpcTimeout.js';

describe('parseGrpcTimeout', () => {
  it('reads every unit of grpc-timeout, in ms', () => {
    expect(parseGrpcTimeout('800m')).toBe(800);
    expect(parseGrpcTimeout('2S')).toBe(2000);
    expect(parseGrpcTimeout('1M')).toBe(60_000);
    expect(parseGrpcTimeout('1H')).toBe(3_600_000);
    expect(parseGrpcTimeout('250000u')).toBe(250);
    expect(parseGrpcTimeout('5000000n')).toBe(5);
  });

  it('gives a deadline already past 1 ms, and caps a long one at an hour', () => {
    expect(parseGrpcTimeout('0m')).toBe(1);
    expect(parseGrpcTimeout('99999999H')).toBe(3_600_000);
  });

  it('tells no header (undefined) from an unreadable one (null)', () => {
    expect(parseGrpcTimeout(undefined)).toBeUndefined();
    for (const bad of ['', '800', 'm', '800ms', '123456789m', '-1S', '1.5S', ['1S']]) {
      expect(parseGrpcTimeout(bad)).toBeNull();
    }
  });
});
