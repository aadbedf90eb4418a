// A plain HTTP GET, as curl would make it, for the tests that read a server's statuses and bodies
// (kubelet's own httpGet probe is runHttpGetProbe, in kubelet.ts).
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
