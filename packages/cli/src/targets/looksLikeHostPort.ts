/**
 * Whether a target written without a scheme is a `host:port` (`localhost:19000`, `10.0.0.5:80`,
 * `[::1]:80`) rather than a socket path: someone who meant `tcp://` or `http://` and forgot it.
 */
export function looksLikeHostPort(text: string): boolean {
  // A socket path has a slash, an abstract name starts with @: neither costs a regular expression.
  if (text.includes('/') || text.startsWith('@') || !text.includes(':')) return false;
  return HOST_PORT.test(text);
}

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
