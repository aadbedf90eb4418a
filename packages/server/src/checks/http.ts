import type { IncomingMessage } from 'node:http';
import { HealthsockError } from '../model/HealthsockError.js';
import type { CheckContext, HealthCheck } from '../registry/types.js';
import { describeNetworkError } from './describeNetworkError.js';

export interface HttpOptions {
  /** An `http:` or `https:` URL. A status from 200 to 399 passes; redirects are not followed. */
  url: string | URL;
  /** Extra request headers, e.g. an `authorization` the endpoint needs. */
  headers?: Readonly<Record<string, string>> | undefined;
}

type Client = Pick<typeof import('node:http'), 'request'>;

// Loaded on the first run, so that a worker that never checks HTTPS never loads TLS.
let httpClient: Promise<Client> | undefined;
let httpsClient: Promise<Client> | undefined;

/**
 * A dependency check: healthy when a GET of `url` answers 200–399 within the check's deadline
 * (its `timeoutMs`). It never uses a proxy, whatever the environment says, and it reads no
 * body: the request is destroyed as soon as the status arrives, or when the deadline passes.
 */
export function http(options: HttpOptions): HealthCheck {
  const url = parseUrl(options?.url);
  const headers = validateHeaders(options?.headers);
  const host = url.hostname;
  const target = `${url.host || host}${url.port ? '' : url.protocol === 'https:' ? ':443' : ':80'}`;
  // Credentials in the URL are sent, never shown.
  const shown = new URL(url);
  shown.password = '';
  shown.username = '';

  return async ({ signal }: CheckContext) => {
    const client = await (url.protocol === 'https:'
      ? (httpsClient ??= import('node:https'))
      : (httpClient ??= import('node:http')));
    signal.throwIfAborted();
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = client.request(url, {
        method: 'GET',
        // agent: false is a fresh agent without keep-alive and without the proxy support
        // that NODE_USE_ENV_PROXY gives Node's global agent.
        agent: false,
        headers: { 'user-agent': 'healthsock', accept: '*/*', connection: 'close', ...headers },
        signal,
      });
      request.once('response', resolve);
      request.once('error', (error) => {
        if (signal.aborted) reject(signal.reason);
        else reject(new Error(describeNetworkError(error, host, target), { cause: error }));
      });
      request.end();
    });
    const status = response.statusCode ?? 0;
    response.destroy();
    if (status < 200 || status > 399) {
      throw new Error(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''} from ${shown.href}`);
    }
    return { status: 'healthy', data: { statusCode: status } };
  };
}

function parseUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' || value instanceof URL ? new URL(value) : undefined;
  } catch {
    // Reported below, with the value.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new HealthsockError(
      'ERR_INVALID_OPTION',
      `checks.http: url must be an http: or https: URL, got ${JSON.stringify(String(value))}`,
    );
  }
  return url;
}

function validateHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (
    typeof headers !== 'object' ||
    headers === null ||
    !Object.values(headers).every((value) => typeof value === 'string')
  ) {
    throw new HealthsockError('ERR_INVALID_OPTION', 'checks.http: headers must be an object of strings');
  }
  return { ...(headers as Record<string, string>) };
}
