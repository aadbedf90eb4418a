// HTTP clients as the tests need them: kubelet's httpGet probe, precisely enough to trust a pass.
import http from 'node:http';

export interface HttpGetResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain GET with Node's http.get, reading the whole body. */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpGetResult> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error(`no response from ${url} within 5 s`)));
  });
}

/** kubelet reads at most this much of a probe's body. */
const KUBELET_BODY_LIMIT = 10 * 1024;

/**
 * kubelet's httpGet (pkg/probe/http): `User-Agent: kube-probe/1.31`, `Accept: *\/*`, no
 * keep-alive, 200–399 passes, at most 10 KiB of body read, `timeoutSeconds` over the whole
 * exchange, and the connection closed with a reset (SO_LINGER 1 s).
 */
export function kubeletHttpGet(
  probe: { host: string; port: number; path: string; httpHeaders?: { name: string; value: string }[] },
  timeoutSeconds = 1,
): Promise<{ success: boolean; status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.31', Accept: '*/*', Connection: 'close' };
    for (const { name, value } of probe.httpHeaders ?? []) headers[name] = value;
    const request = http.get(
      { host: probe.host, port: probe.port, path: probe.path, headers, agent: false },
      (response) => {
        let body = Buffer.alloc(0);
        const finish = () => {
          const status = response.statusCode ?? 0;
          resolve({ success: status >= 200 && status < 400, status, body: body.toString('utf8') });
          // kubelet's SO_LINGER 1 s: the server may see a reset (unless it has closed already).
          if (!response.socket.destroyed) response.socket.resetAndDestroy();
        };
        response.on('data', (chunk: Buffer) => {
          body = Buffer.concat([body, chunk]).subarray(0, KUBELET_BODY_LIMIT);
          if (body.length >= KUBELET_BODY_LIMIT) finish();
        });
        response.on('end', finish);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error('timeout')), timeoutSeconds * 1000);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => resolve({ success: false, body: '', error: error.message }));
  });
}
