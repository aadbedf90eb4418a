import { resolveSocketAddress, type ProbeName } from '@healthsock/server/protocol';
import { existsSync } from 'node:fs';
import { ProbeError } from '../ProbeError.js';
import { looksLikeHostPort } from './looksLikeHostPort.js';
import type { Target } from './Target.js';

/** The path an `http(s)://` target without one gets, by probe: the Kubernetes API server's names. */
export const HTTP_PATHS: Readonly<Record<ProbeName, string>> = {
  liveness: '/livez',
  readiness: '/readyz',
  startup: '/startupz',
};

const SCHEME_NAME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/**
 * Reads a target without any I/O: `/path/to.sock`, `@abstract` or `unix:/path/to.sock`;
 * `http(s)://host:port[/path]`; `tcp://host:port`; `grpc(s)://host:port[/service]`; `file:/path/to/heartbeat`. Throws a `usage`
 * {@link ProbeError} for anything else.
 */
export function parseTarget(text: string, probe: ProbeName): Target {
  if (text.startsWith('unix:')) return socketTarget(text.replace(/^unix:(\/\/)?/, ''));
  if (text.startsWith('file:')) {
    const path = text.replace(/^file:(\/\/)?/, '');
    if (path === '') throw new ProbeError('usage', `file target ${JSON.stringify(text)} names no file`);
    if (path.includes('\0')) throw new ProbeError('usage', `file target ${JSON.stringify(text)} contains a NUL byte`);
    return { kind: 'file', display: `file:${path}`, path };
  }
  // A plain socket path, the probe that runs in every pod, gets here without a regular
  // expression: compiling one costs a probe more than the rest of this function.
  const schemeEnd = text.indexOf('://');
  if (schemeEnd === -1 || !SCHEME_NAME.test(text.slice(0, schemeEnd))) {
    // Checked only for what looks like host:port, which a socket path seldom does; a file that
    // really is there by that name is still a socket target.
    if (looksLikeHostPort(text) && !existsSync(text)) {
      throw new ProbeError('usage', `${text} looks like host:port; write tcp://${text} or http://${text}`);
    }
    return socketTarget(text);
  }
  const scheme = text.slice(0, schemeEnd).toLowerCase();
  const url = parseUrl(text);
  if (scheme === 'http' || scheme === 'https') {
    if (url.pathname === '' || url.pathname === '/') url.pathname = HTTP_PATHS[probe];
    return { kind: 'http', display: url.href, url };
  }
  if (scheme === 'grpc' || scheme === 'grpcs') {
    // The rest is read where it is used (targets/grpcTarget.ts), so a socket probe never compiles it.
    const named = url.pathname.length > 1 ? url.pathname : `/${probe}`;
    return { kind: 'grpc', display: `${scheme}://${url.host}${named}`, url, probe };
  }
  if (scheme === 'tcp') {
    const port = Number(url.port);
    if (!(port >= 1 && port <= 65535) || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
      throw new ProbeError(
        'usage',
        `tcp target ${JSON.stringify(text)} must be tcp://host:port, e.g. tcp://127.0.0.1:5432`,
      );
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { kind: 'tcp', display: `tcp://${url.host}`, host, port };
  }
  throw new ProbeError(
    'usage',
    `target ${JSON.stringify(text)} has an unknown scheme ${scheme}://; use a socket path, unix:, http://, https://, tcp://, grpc(s):// or file:`,
  );
}

function parseUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch (error) {
    throw new ProbeError('usage', `target ${JSON.stringify(text)} is not a valid URL`, { cause: error });
  }
  if (url.hostname === '') throw new ProbeError('usage', `target ${JSON.stringify(text)} names no host`);
  // DNS names stop at 253 characters; anything longer is a mistake, not a host to look up.
  if (url.hostname.length > 255)
    throw new ProbeError('usage', `target ${JSON.stringify(text)} has a host name longer than 253 characters`);
  return url;
}

function socketTarget(path: string): Target {
  const resolved = resolveSocketAddress(path);
  if (!resolved.ok) throw new ProbeError('usage', resolved.reason);
  // `unix:` is only a way to write the target; messages name the socket as the worker knows it.
  return { kind: 'unix', display: resolved.address.display, address: resolved.address };
}
