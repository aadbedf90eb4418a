/** A complete HTTP response, before it is written to a raw socket or a `ServerResponse`. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers of every health response: no caching, no content sniffing. */
export function httpResponse(
  status: number,
  body: string,
  json = false,
  extra: Record<string, string> = {},
): HttpResponse {
  return {
    status,
    headers: {
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    },
    body,
  };
}
