import { ProbeError } from './ProbeError.js';

/** Names gRPC or HTTP/2 itself sets: a header cannot replace them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'te',
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
]);

/** `name: value` as gRPC metadata: a header name in lower case, and a value on one line. */
function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim().toLowerCase();
  const value = text.slice(colon + 1).trim();
  if (colon === -1 || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || /[\r\n\0]/.test(value)) {
    throw new ProbeError(
      'usage',
      `--header ${JSON.stringify(text.slice(0, 80))} must be 'name: value', e.g. 'authorization: Bearer abc'`,
    );
  }
  if (RESERVED_HEADERS.has(name)) {
    throw new ProbeError('usage', `--header cannot set ${name}: the gRPC call sets it itself`);
  }
  return [name, value];
}

/** `--header` values as gRPC metadata, in the order given; a usage error names the first bad one. */
export function parseHeaders(texts: readonly string[]): [string, string][] {
  return texts.map(parseHeader);
}
