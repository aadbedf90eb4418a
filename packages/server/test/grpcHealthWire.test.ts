import { describe, expect, it } from 'vitest';
import {
  decodeGrpcMessage,
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  decodeHealthListResponse,
  encodeGrpcMessage,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
  encodeHealthListResponse,
  frameGrpcMessage,
  GrpcMessageReader,
  MalformedMessage,
} from '../src/wire/grpcHealthWire.js';

describe('grpc.health.v1 messages', () => {
  it('encodes and decodes HealthCheckRequest, the empty service as no bytes', () => {
    expect([...encodeHealthCheckRequest('readiness')]).toEqual([0x0a, 9, ...Buffer.from('readiness')]);
    expect(encodeHealthCheckRequest('').length).toBe(0);
    expect(decodeHealthCheckRequest(Buffer.alloc(0))).toEqual({ service: '' });
    const long = 'x'.repeat(300);
    // A length of 300 takes a two-byte varint.
    expect([...encodeHealthCheckRequest(long).subarray(0, 3)]).toEqual([0x0a, 0xac, 0x02]);
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest(long))).toEqual({ service: long });
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest('readiness/pöstgres'))).toEqual({
      service: 'readiness/pöstgres',
    });
  });

  it('skips fields it does not know, of every wire type, and keeps the last value of a repeated field', () => {
    const unknown = Buffer.from([0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x25, 1, 2, 3, 4, 0x22, 1, 0x41]);
    expect(
      decodeHealthCheckRequest(Buffer.concat([unknown, encodeHealthCheckRequest('a'), encodeHealthCheckRequest('b')])),
    ).toEqual({
      service: 'b',
    });
  });

  it('throws MalformedMessage on truncated, overlong or invalid input, never reading past the end', () => {
    for (const bytes of [
      [0x0a, 0x05, 0x61],
      [0x0a],
      [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0x00, 0x01],
      [0x0b],
      [0x19, 1, 2],
      [0x0a, 0x01, 0xff],
    ]) {
      expect(() => decodeHealthCheckRequest(Buffer.from(bytes))).toThrow(MalformedMessage);
    }
  });

  it('encodes HealthCheckResponse, leaving UNKNOWN out as proto3 does', () => {
    expect([...encodeHealthCheckResponse(1)]).toEqual([0x08, 1]);
    expect([...encodeHealthCheckResponse(2)]).toEqual([0x08, 2]);
    expect(encodeHealthCheckResponse(0).length).toBe(0);
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toEqual({ status: 0 });
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 3]))).toEqual({ status: 3 });
  });

  it('encodes HealthListResponse as a map of service to response', () => {
    const encoded = encodeHealthListResponse({ liveness: 1, readiness: 2 });
    expect(decodeHealthListResponse(encoded)).toEqual({ liveness: 1, readiness: 2 });
    expect([...encoded.subarray(0, 4)]).toEqual([0x0a, 14, 0x0a, 8]);
  });
});

describe('gRPC message framing', () => {
  it('prefixes a message with a zero flag and its length, and reads messages split across chunks', () => {
    const framed = frameGrpcMessage(Buffer.from([0x08, 1]));
    expect([...framed]).toEqual([0, 0, 0, 0, 2, 0x08, 1]);
    const reader = new GrpcMessageReader(10);
    expect(reader.push(framed.subarray(0, 3))).toEqual([]);
    expect(reader.partial).toBe(true);
    const read = reader.push(Buffer.concat([framed.subarray(3), framed]));
    expect(Array.isArray(read) && read.map((message) => [...message])).toEqual([
      [0x08, 1],
      [0x08, 1],
    ]);
    expect(reader.partial).toBe(false);
  });

  it('refuses a compressed, oversized or badly flagged message as soon as its prefix arrives', () => {
    expect(new GrpcMessageReader(10).push(Buffer.from([1, 0, 0, 0, 1]))).toMatchObject({ code: 12 });
    expect(new GrpcMessageReader(10).push(Buffer.from([0, 0, 0, 0, 11]))).toMatchObject({
      code: 8,
      message: 'message of 11 bytes is larger than the limit of 10',
    });
    expect(new GrpcMessageReader(10).push(Buffer.from([7, 0, 0, 0, 1]))).toMatchObject({ code: 13 });
  });

  it('percent-encodes grpc-message, and decodes it back', () => {
    expect(encodeGrpcMessage('db: 100% down\nnow ü')).toBe('db: 100%25 down%0Anow %C3%BC');
    expect(decodeGrpcMessage('db: 100%25 down%0Anow %C3%BC')).toBe('db: 100% down\nnow ü');
    expect(decodeGrpcMessage('broken %zz')).toBe('broken %zz');
  });
});
