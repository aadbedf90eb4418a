import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseReply, raceDeadline, type Status } from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';
import { VERSION } from '../version.js';
import { networkError } from './networkError.js';
import type { HttpTarget, TargetReply, TargetRequest } from './Target.js';
import { targetReply } from './targetReply.js';

/** kubelet reads at most this much of a body; so does the probe. */
export const MAX_BODY_BYTES = 10 * 1024;

/** kubelet follows at most this many redirects to the same host. */
export const MAX_REDIRECTS = 10;

interface HttpResponse {
  status: number;
  statusText: string;
  location: string | undefined;
  body: Buffer;
}

/**
 * kubelet's `httpGet` probe: a GET within the deadline; 200–399 passes. Same-host redirects are
 * followed (at most 10), a redirect to another host passes unfollowed, certificates are not
 * verified and no proxy is used. With `detail`, the URL asks for `?format=json`, so that a
 * healthsock endpoint answers with its checks.
 */
export async function probeHttp(target: HttpTarget, request: TargetRequest): Promise<TargetReply> {
  const started = performance.now();
  const first = new URL(target.url);
  if (request.detail) first.searchParams.set('format', 'json');
  const took = () => performance.now() - started;
  let url = first;
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, target.display, request);
    const { status } = response;
    const location = status >= 300 && status < 400 ? response.location : undefined;
    const head = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (location === undefined) {
      const after = redirects === 0 ? '' : ` after ${redirects} ${redirects === 1 ? 'redirect' : 'redirects'}`;
      return interpret(response, `${head}${after}`, request, took());
    }
    let next: URL | undefined;
    try {
      next = new URL(location, url);
    } catch {
      // An unusable Location leaves the 3xx itself as the answer, as for a redirect not followed.
    }
    if (next === undefined || next.hostname !== first.hostname) {
      const to = next ? `${next.protocol}//${next.host}` : JSON.stringify(location);
      return targetReply(
        request.probe,
        'healthy',
        took(),
        `${head} to ${to}: another host, not followed, as kubelet does`,
      );
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      return targetReply(
        request.probe,
        'unhealthy',
        took(),
        `${head} to ${next.protocol} URL, which a probe cannot follow`,
      );
    }
    if (redirects === MAX_REDIRECTS) {
      return targetReply(request.probe, 'unhealthy', took(), `${head}: stopped after ${MAX_REDIRECTS} redirects`);
    }
    url = next;
  }
}

/** The verdict on a final response: its status code decides; the body adds the reason. */
function interpret(response: HttpResponse, head: string, { probe }: TargetRequest, durationMs: number): TargetReply {
  const passed = response.status >= 200 && response.status < 400;
  const text = response.body.toString('utf8');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')).trim();
  const parsed = firstLine.startsWith('{') ? parseReply(firstLine) : undefined;
  if (parsed?.ok && !('error' in parsed.reply)) {
    // A healthsock endpoint: its checks are the detail, and the HTTP status is the verdict.
    const reply = parsed.reply;
    const status: Status = passed ? (reply.status === 'degraded' ? 'degraded' : 'healthy') : 'unhealthy';
    return { ...reply, probe, status, message: [head, reply.message].filter(Boolean).join('; ') };
  }
  if (passed) return targetReply(probe, 'healthy', durationMs, head);
  // The Kubernetes verbose format: `[+]name ok` and `[-]name failed: reason` lines.
  const lines = text.split('\n').map((line) => line.trim());
  const verbose = lines.some((line) => /^\[[+-]\]/.test(line));
  const reason = verbose ? (lines.find((line) => line.startsWith('[-]')) ?? firstLine) : '';
  const body = lines.find((line) => line !== '');
  return {
    ...targetReply(probe, 'unhealthy', durationMs, reason ? `${head}: ${reason}` : head),
    ...(body ? { body } : {}),
  };
}

/** One GET, its body read up to {@link MAX_BODY_BYTES}. */
async function get(url: URL, where: string, { probe, deadline, timeoutMs }: TargetRequest): Promise<HttpResponse> {
  const client = await clientFor(url.protocol);
  let connected = false;
  let response: IncomingMessage | undefined;
  const late = () => {
    throw new ProbeError(
      'timeout',
      response
        ? `${where} did not finish its response within ${timeoutMs} ms`
        : connected
          ? `no response from ${where} within ${timeoutMs} ms (connected)`
          : `could not connect to ${where} within ${timeoutMs} ms`,
    );
  };
  return raceDeadline<HttpResponse>(deadline - performance.now(), late, (settle) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const request = client.request(url, {
      method: 'GET',
      // A fresh agent per request: never a pooled connection, and never a proxy from the
      // environment (Node 24 lets NODE_USE_ENV_PROXY route the global agents through one).
      agent: false,
      rejectUnauthorized: false,
      headers: {
        'User-Agent': `healthsock/${VERSION}`,
        Accept: '*/*',
        Connection: 'close',
        'X-Probe': probe,
        // The deadline travels as on the socket, so a healthsock endpoint can name a slow check
        // in time; a foreign server ignores the header.
        'X-Healthsock-Timeout-Ms': String(Math.max(1, Math.floor(deadline - performance.now()))),
      },
    });
    function done(res: IncomingMessage): void {
      const location = res.headers.location;
      settle.done({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        location: Array.isArray(location) ? location[0] : location,
        body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES),
      });
    }

    request.once('socket', (socket) => socket.once('connect', () => (connected = true)));
    request.once('response', (res) => {
      response = res;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) done(res);
      });
      res.once('end', () => done(res));
      // A body cut short: Node reports it as 'aborted', and on later versions also as an error.
      const brokeOff = () =>
        settle.fail(new ProbeError('bad-reply', `${where} broke off its response after ${size} bytes of body`));
      res.once('aborted', brokeOff);
      res.once('error', brokeOff);
    });
    request.once('error', (error: NodeJS.ErrnoException) => {
      if (response)
        settle.fail(
          new ProbeError('bad-reply', `${where} broke off its response: ${error.code ?? error.message}`, {
            cause: error,
          }),
        );
      else settle.fail(networkError(error, where, connected));
    });
    request.end();
    return () => request.destroy();
  });
}

/**
 * Node's HTTP or HTTPS client, whichever the URL needs. `process.getBuiltinModule` (Node 20.16
 * and later) loads it at once, where an import() would first start Node's ES module loader,
 * which costs a probe several milliseconds. The two share the request API this file uses.
 */
async function clientFor(protocol: string): Promise<typeof import('node:https')> {
  const name = protocol === 'https:' ? 'node:https' : 'node:http';
  const builtin = process.getBuiltinModule?.(name) as typeof import('node:https') | undefined;
  return builtin ?? ((await import(name)) as typeof import('node:https'));
}
