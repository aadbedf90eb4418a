// grpc.health.v1 on the wire, shared by the server's gRPC transport and the CLI's grpc:// target:
// the three messages of health.proto in protobuf, the 5-byte gRPC message prefix, and the status
// codes. Hand-written because the messages are tiny: a string, an enum and a map of the two. Every
// read is bounds-checked, since the bytes come from another program.

/** `HealthCheckResponse.ServingStatus`. */
export const SERVING_STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
export type ServingStatus = (typeof SERVING_STATUS)[keyof typeof SERVING_STATUS];

/** The gRPC status codes this project sends or names. */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** The path of each method of `grpc.health.v1.Health`. */
export const GRPC_HEALTH_PATHS = {
  check: '/grpc.health.v1.Health/Check',
  watch: '/grpc.health.v1.Health/Watch',
  list: '/grpc.health.v1.Health/List',
} as const;

/** The largest request message a server reads: a service name is short, and kubelet's is a probe's. */
export const MAX_GRPC_REQUEST_BYTES = 4096;

/** The name of a gRPC status code or a serving status, for messages. */
export function grpcStatusName(code: number): string {
  return Object.entries(GRPC_STATUS).find(([, value]) => value === code)?.[0] ?? `status ${code}`;
}

export function servingStatusName(status: number): string {
  return Object.entries(SERVING_STATUS).find(([, value]) => value === status)?.[0] ?? `serving status ${status}`;
}

/** A decoding failure: the bytes are not the message they claim to be. */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `HealthCheckRequest { string service = 1; }` */
export function encodeHealthCheckRequest(service: string): Buffer {
  return service === '' ? Buffer.alloc(0) : lengthDelimited(1, Buffer.from(service, 'utf8'));
}

export function decodeHealthCheckRequest(bytes: Uint8Array): { service: string } {
  let service = '';
  readFields(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === 2) service = decodeString(value as Uint8Array, 'service');
  });
  return { service };
}

/** `HealthCheckResponse { ServingStatus status = 1; }` */
export function encodeHealthCheckResponse(status: ServingStatus): Buffer {
  // proto3 leaves a field at its default (UNKNOWN) out.
  return status === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x08]), varint(status)]);
}

export function decodeHealthCheckResponse(bytes: Uint8Array): { status: number } {
  let status = 0;
  readFields(bytes, (field, wireType, value) => {
    // Enums are 32-bit: a negative one arrives as a 10-byte varint.
    if (field === 1 && wireType === 0) status = (value as number) % 2 ** 32;
  });
  return { status };
}

/** `HealthListResponse { map<string, HealthCheckResponse> statuses = 1; }` */
export function encodeHealthListResponse(statuses: Readonly<Record<string, ServingStatus>>): Buffer {
  return Buffer.concat(
    Object.entries(statuses).map(([service, status]) =>
      lengthDelimited(
        1,
        Buffer.concat([
          lengthDelimited(1, Buffer.from(service, 'utf8')),
          lengthDelimited(2, encodeHealthCheckResponse(status)),
        ]),
      ),
    ),
  );
}

export function decodeHealthListResponse(bytes: Uint8Array): Record<string, number> {
  const statuses: Record<string, number> = {};
  readFields(bytes, (field, wireType, entry) => {
    if (field !== 1 || wireType !== 2) return;
    let key = '';
    let status = 0;
    readFields(entry as Uint8Array, (entryField, entryType, value) => {
      if (entryField === 1 && entryType === 2) key = decodeString(value as Uint8Array, 'statuses key');
      if (entryField === 2 && entryType === 2) status = decodeHealthCheckResponse(value as Uint8Array).status;
    });
    statuses[key] = status;
  });
  return statuses;
}

/** A message with gRPC's 5-byte prefix: a compressed flag (0, never compressed) and its length. */
export function frameGrpcMessage(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** Why a stream of prefixed messages cannot be read. */
export interface GrpcFrameError {
  code: number;
  message: string;
}

/**
 * Reads length-prefixed gRPC messages from a stream's chunks, holding at most one message of
 * `maxBytes`. A compressed message, or one larger than the limit, is an error at once, before
 * its bytes arrive.
 */
export class GrpcMessageReader {
  readonly #maxBytes: number;
  #buffered: Buffer = Buffer.alloc(0);

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The messages completed by `chunk`, or the reason the stream is unreadable. */
  push(chunk: Uint8Array): Buffer[] | GrpcFrameError {
    this.#buffered = this.#buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.#buffered.length >= 5) {
      const flag = this.#buffered[0];
      const length = this.#buffered.readUInt32BE(1);
      if (flag === 1) {
        return {
          code: GRPC_STATUS.UNIMPLEMENTED,
          message: 'compressed messages are not supported; send them uncompressed (grpc-encoding: identity)',
        };
      }
      if (flag !== 0) return { code: GRPC_STATUS.INTERNAL, message: `invalid message flag ${String(flag)}` };
      if (length > this.#maxBytes) {
        return {
          code: GRPC_STATUS.RESOURCE_EXHAUSTED,
          message: `message of ${length} bytes is larger than the limit of ${this.#maxBytes}`,
        };
      }
      if (this.#buffered.length < 5 + length) break;
      messages.push(this.#buffered.subarray(5, 5 + length));
      this.#buffered = this.#buffered.subarray(5 + length);
    }
    return messages;
  }

  /** Whether part of a message is still waiting for its bytes. */
  get partial(): boolean {
    return this.#buffered.length > 0;
  }
}

/**
 * `grpc-message` is percent-encoded: printable ASCII other than `%` goes as is, anything else
 * as its UTF-8 bytes.
 */
export function encodeGrpcMessage(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    encoded +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export function decodeGrpcMessage(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function lengthDelimited(field: number, value: Uint8Array): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

type FieldValue = number | Uint8Array;

/**
 * Calls `onField` for each field of a protobuf message, skipping the wire types it does not use.
 * A truncated message throws; a length beyond the message's end does too, however wide its varint.
 */
function readFields(bytes: Uint8Array, onField: (field: number, wireType: number, value: FieldValue) => void): void {
  let at = 0;
  const readVarint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (at >= bytes.length) throw new MalformedMessage('a varint runs past the end of the message');
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new MalformedMessage('a varint is longer than 10 bytes');
  };
  const take = (length: number): Uint8Array => {
    if (length > bytes.length - at) throw new MalformedMessage('a field runs past the end of the message');
    const value = bytes.subarray(at, at + length);
    at += length;
    return value;
  };
  while (at < bytes.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 0) throw new MalformedMessage('a field has number 0');
    switch (wireType) {
      case 0:
        onField(field, wireType, readVarint());
        break;
      case 1:
        take(8);
        break;
      case 2:
        onField(field, wireType, take(readVarint()));
        break;
      case 5:
        take(4);
        break;
      default:
        throw new MalformedMessage(`wire type ${wireType} is not supported`);
    }
  }
}

function decodeString(bytes: Uint8Array, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MalformedMessage(`${name} is not valid UTF-8`);
  }
}
