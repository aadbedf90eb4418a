import { isProbeName, PROBES, type ProbeName } from '../../model/probes.js';
import type { ProbeReport } from '../../model/reports.js';
import type { Registry } from '../../registry/Registry.js';
import { MAX_DEADLINE_MS } from '../../wire/constants.js';
import { encodeProbeReply } from '../../wire/reply.js';
import { replyBudget } from '../../wire/replyBudget.js';
import { formatHealthText } from './formatHealthText.js';
import { httpResponse, type HttpResponse } from './HttpResponse.js';
import { METRICS_PATH, type HttpRoutes } from './resolveHttpRoutes.js';

/** What the responder needs of a request, whichever server parsed it. */
export interface HttpRequestHead {
  method: string;
  /** The request target as sent, e.g. `/readyz?verbose`. */
  target: string;
  /** A header's value by lower-case name. */
  header(name: string): string | undefined;
  /** Whether check messages may be shown: the client is local, or the user opted in. */
  details: boolean;
}

/**
 * Answers one HTTP request, or returns `undefined` when its path is not a health path (so that
 * the caller can answer 404, or let the application's own routes have it). The routing is
 * synchronous; only the probe's evaluation is not.
 */
export type HttpResponder = (head: HttpRequestHead) => Promise<HttpResponse> | undefined;

const METHODS = 'GET, HEAD';

/**
 * @param scrapeMetrics reads `/metrics` when `http.metrics` is on: the latest results, never
 *   evaluating a probe.
 */
export function createHttpResponder(
  registry: Registry,
  routes: HttpRoutes,
  scrapeMetrics?: () => Promise<{ body: string; contentType: string }>,
): HttpResponder {
  return (head) => {
    const { path, query } = splitTarget(head.target);
    const metrics = scrapeMetrics !== undefined && (path === METRICS_PATH || path === `${METRICS_PATH}/`);
    const route = metrics ? undefined : findRoute(routes, path);
    if (!route && !metrics) return undefined;
    if (head.method !== 'GET' && head.method !== 'HEAD') {
      return Promise.resolve(
        httpResponse(405, `method ${head.method.slice(0, 20)} is not allowed; use ${METHODS}\n`, false, {
          Allow: METHODS,
        }),
      );
    }
    if (!route) {
      return scrapeMetrics?.().then(
        ({ body, contentType }) => httpResponse(200, body, false, { 'Content-Type': contentType }),
        () => httpResponse(500, 'the server failed to read its metrics\n'),
      );
    }
    let probe = route.probe;
    if (probe === undefined) {
      const named = head.header('x-probe')?.trim().toLowerCase() ?? 'liveness';
      if (!isProbeName(named)) {
        return Promise.resolve(
          httpResponse(
            400,
            `X-Probe names no probe: ${JSON.stringify(named.slice(0, 40))}; use ${PROBES.join(', ')}\n`,
          ),
        );
      }
      probe = named;
    }
    let check: string | undefined;
    if (route.rest !== '') {
      try {
        check = decodeURIComponent(route.rest);
      } catch {
        return Promise.resolve(httpResponse(400, 'the check name in the path is not valid percent-encoding\n'));
      }
      if (!registry.checkNames(probe).includes(check)) {
        return Promise.resolve(
          httpResponse(404, `the ${probe} probe has no check named ${JSON.stringify(check.slice(0, 100))}\n`),
        );
      }
    }
    const timeout = query.get('timeout');
    const timeoutMs = timeout === null ? undefined : parseTimeout(timeout);
    if (timeoutMs === null) {
      return Promise.resolve(
        httpResponse(400, `timeout ${JSON.stringify(timeout?.slice(0, 40))} is not a duration such as 800ms or 2s\n`),
      );
    }
    // The healthsock CLI's remaining deadline, as `timeoutMs` travels in a JSON request on the
    // socket; a foreign server ignores the header. `?timeout=`, written by a person, wins.
    const header = timeoutMs === undefined ? head.header(TIMEOUT_HEADER) : undefined;
    const headerMs = header === undefined ? undefined : parseTimeoutHeader(header);
    if (headerMs === null) {
      return Promise.resolve(
        httpResponse(
          400,
          `${TIMEOUT_HEADER} is ${JSON.stringify(header?.slice(0, 40))}; it must be a whole number of milliseconds above 0 and at most ${MAX_DEADLINE_MS}\n`,
        ),
      );
    }
    return evaluate(registry, probe, head, query, check, timeoutMs ?? headerMs);
  };
}

/** The request header that carries a client's remaining deadline, in whole milliseconds. */
export const TIMEOUT_HEADER = 'x-healthsock-timeout-ms';

function parseTimeoutHeader(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  const ms = Number(trimmed);
  return ms > 0 && ms <= MAX_DEADLINE_MS ? ms : null;
}

async function evaluate(
  registry: Registry,
  probe: ProbeName,
  head: HttpRequestHead,
  query: URLSearchParams,
  check: string | undefined,
  timeoutMs: number | undefined,
): Promise<HttpResponse> {
  const members = registry.checkNames(probe);
  const asked = query.getAll('exclude');
  const excluded = check === undefined ? members.filter((name) => asked.includes(name)) : [];
  const unmatched = check === undefined ? asked.filter((name) => !members.includes(name)) : [];
  let report: ProbeReport;
  try {
    report = await registry.evaluate(probe, {
      ...replyBudget(timeoutMs),
      ...(excluded.length > 0 ? { exclude: excluded } : {}),
      ...(check === undefined ? {} : { only: check }),
    });
  } catch {
    return httpResponse(500, 'the server failed to evaluate the probe\n');
  }
  const status = report.status === 'unhealthy' ? 503 : 200;
  const accept = head.header('accept') ?? '';
  if (query.get('format') === 'json' || accept.includes('application/json')) {
    return httpResponse(status, encodeProbeReply(head.details ? report : withheld(report)), true);
  }
  const verbose = query.has('verbose') && !['false', '0'].includes(query.get('verbose') ?? '');
  return httpResponse(status, formatHealthText(report, { verbose, excluded, unmatched, details: head.details }));
}

/** The report with every check message replaced and data left out, for clients beyond the pod. */
function withheld(report: ProbeReport): ProbeReport {
  return {
    ...report,
    checks: report.checks.map(({ name, status, durationMs, message }) => ({
      name,
      status,
      durationMs,
      ...(message === undefined ? {} : { message: 'reason withheld' }),
    })),
  };
}

function splitTarget(target: string): { path: string; query: URLSearchParams } {
  let origin = target;
  // The absolute form (`GET http://host/readyz`), as sent to proxies.
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      origin = `${url.pathname}${url.search}`;
    } catch {
      origin = target;
    }
  }
  const mark = origin.indexOf('?');
  return mark === -1
    ? { path: origin, query: new URLSearchParams() }
    : { path: origin.slice(0, mark), query: new URLSearchParams(origin.slice(mark + 1)) };
}

/** The route of `path`: a probe path itself, or `<probe path>/<check>`. */
function findRoute(routes: HttpRoutes, path: string): { probe: ProbeName | undefined; rest: string } | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (routes.has(trimmed)) return { probe: routes.get(trimmed), rest: '' };
  const slash = trimmed.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const base = trimmed.slice(0, slash);
  if (!routes.has(base)) return undefined;
  return { probe: routes.get(base), rest: trimmed.slice(slash + 1) };
}

/** `800ms`, `2s`, `1.5s`, `1m`: the deadline the client will wait, in ms; `null` if unreadable. */
function parseTimeout(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * (match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000);
  return ms > 0 && ms <= MAX_DEADLINE_MS ? ms : null;
}
