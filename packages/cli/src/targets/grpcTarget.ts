import { ProbeError } from '../ProbeError.js';
import type { GrpcTarget } from './Target.js';

/** What a `grpc(s)://host:port[/service]` URL asks. */
export interface GrpcAddress {
  host: string;
  port: number;
  tls: boolean;
  /** The URL's path, percent-decoded, or the probe's name when it has none. */
  service: string;
}

/** Reads a grpc target's URL, before any I/O; throws a `usage` ProbeError for a URL that names no port or has a query. */
export function grpcTarget(target: GrpcTarget): GrpcAddress {
  const { url, probe } = target;
  const scheme = url.protocol.slice(0, -1);
  const port = Number(url.port);
  const path = url.pathname.slice(1);
  let service: string = probe;
  try {
    if (path !== '') service = decodeURIComponent(path);
  } catch {
    service = '';
  }
  if (!(port >= 1 && port <= 65535) || service === '' || url.search || url.hash) {
    throw new ProbeError(
      'usage',
      `grpc target ${JSON.stringify(url.href)} must be ${scheme}://host:port[/service], e.g. ${scheme}://127.0.0.1:50051/readiness`,
    );
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, tls: scheme === 'grpcs', service };
}
