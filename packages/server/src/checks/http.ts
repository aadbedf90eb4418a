import type { IncomingMessage } from 'node:http';
import type { CheckContext, HealthCheck } from '../registry/types.js';
import { describeNetworkError } from './describeNetworkError.js';
import { validateHeaders, validateHttpUrl, validateCheckOptions } from '../options/validators.js';

export interface HttpCheckOptions {
  /** An `http:` or `https:` URL. A status from 200 to 399 passes; redirects are not followed. */
  url: string | URL;
  /** Extra request headers, e.g. an `authorization` the endpoint needs. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** Every key of {@link HttpCheckOptions}: any other is a typo, refused with a suggestion. */
const HTTP_CHECK_OPTION_KEYS = ['url', 'headers'] as const;

type Client = Pick<typeof import('node:http'), 'request'>;

// Loaded on the first run, so that a worker that never checks HTTPS never loads TLS.
let httpClient: Promise<Client> | undefined;
let httpsClient: Promise<Client> | undefined;

/**
 * A dependency check: healthy when a GET of `url` answers 200–399 within the check's deadline
 * (its `timeoutMs`). It never uses a proxy, whatever the environment says, and it reads no
 * body: the request is destroyed as soon as the status arrives, or when the deadline passes.
 */
export function http(options: HttpCheckOptions): HealthCheck {
  const given = validateCheckOptions('http', options, HTTP_CHECK_OPTION_KEYS);
  const url = validateHttpUrl('checks.http: url', given.url);
  const headers = validateHeaders('checks.http', given.headers);
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
