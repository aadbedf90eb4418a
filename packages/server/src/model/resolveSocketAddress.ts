import { MAX_SOCKET_PATH_BYTES } from './defaultSocketPath.js';

/** Where a socket lives: `display` is what users wrote and see; `native` is what `net` takes. */
export interface SocketAddress {
  display: string;
  native: string;
  abstract: boolean;
}

export type ResolvedSocketAddress =
  { ok: true; address: SocketAddress } | { ok: false; reason: string; tooLong: boolean };

/**
 * Turns a user's socket path into an address, without any I/O. `@name` is a Linux abstract
 * socket, which Node spells with a leading NUL byte.
 */
export function resolveSocketAddress(path: string): ResolvedSocketAddress {
  if (path === '' || path === '@')
    return { ok: false, reason: `socket path ${JSON.stringify(path)} is empty`, tooLong: false };
  if (path.includes('\0'))
    return { ok: false, reason: `socket path ${JSON.stringify(path)} contains a NUL byte`, tooLong: false };
  const abstract = path.startsWith('@');
  const name = abstract ? path.slice(1) : path;
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    const what = abstract ? 'abstract socket name' : 'socket path';
    return {
      ok: false,
      reason: `${what} ${path} is ${bytes} bytes; the limit is ${MAX_SOCKET_PATH_BYTES}`,
      tooLong: true,
    };
  }
  return { ok: true, address: { display: path, native: abstract ? `\0${name}` : path, abstract } };
}
