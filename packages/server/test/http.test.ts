import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from '../src/checks/http.js';
import { listenOnFreePort } from '../../../test/helpers/ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server that answers every request with `status`, and remembers the request headers. */
async function answering(status: number): Promise<{ url: string; headers: Record<string, unknown>[] }> {
  const headers: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    response.writeHead(status, { location: '/elsewhere' }).end('body');
  });
  servers.push(server);
  return { url: `http://127.0.0.1:${await listenOnFreePort(server)}/healthz`, headers };
}

const run = (check: ReturnType<typeof http>) =>
  Promise.resolve(check({ signal: new AbortController().signal, probe: 'readiness' }));

describe('checks.http', () => {
  it('passes 200 to 399 without following redirects, sending the given headers', async () => {
    const ok = await answering(200);
    await expect(run(http({ url: ok.url, headers: { authorization: 'Bearer x' } }))).resolves.toEqual({
      status: 'healthy',
      data: { statusCode: 200 },
    });
    expect(ok.headers[0]).toMatchObject({ authorization: 'Bearer x', connection: 'close', 'user-agent': 'healthsock' });
    const moved = await answering(302);
    await expect(run(http({ url: new URL(moved.url) }))).resolves.toMatchObject({ data: { statusCode: 302 } });
    expect(moved.headers).toHaveLength(1);
  });

  it('fails other statuses with the status and the URL, never its credentials', async () => {
    const { url } = await answering(503);
    const withCredentials = url.replace('http://', 'http://user:secret@');
    await expect(run(http({ url: withCredentials }))).rejects.toThrow(`HTTP 503 Service Unavailable from ${url}`);
  });

  it('rejects bad options', () => {
    expect(() => http({ url: 'ftp://x/' })).toThrow(
      /checks\.http: url must be an http: or https: URL, got "ftp:\/\/x\/"/,
    );
    expect(() => http({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => http({ url: 'http://x/', headers: { a: 1 as unknown as string } })).toThrow(
      /headers must be an object of strings/,
    );
  });
});
