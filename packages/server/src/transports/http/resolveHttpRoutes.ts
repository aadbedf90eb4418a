import { HealthsockError } from '../../model/HealthsockError.js';
import { PROBES, type ProbeName } from '../../model/probes.js';

/** The URL paths that answer each probe. */
export type HttpPaths = { readonly [probe in ProbeName]?: readonly string[] };

/** Kubernetes' own names first, then those of the systems healthsock replaces. */
export const DEFAULT_HTTP_PATHS: { readonly [probe in ProbeName]: readonly string[] } = {
  liveness: ['/livez', '/healthz'],
  readiness: ['/readyz', '/ready'],
  startup: ['/startupz', '/health/startup'],
};

/** One path for every probe: liveness, unless an `X-Probe` header names another. */
export const X_PROBE_PATH = '/health';

/** Where `http.metrics` serves the Prometheus text format. */
export const METRICS_PATH = '/metrics';

/** Each path and the probe it answers; `undefined` means the probe named by `X-Probe`. */
export type HttpRoutes = ReadonlyMap<string, ProbeName | undefined>;

const MAX_PATH_CHARS = 200;

/**
 * Validates the configured paths (a probe not given keeps its defaults) and maps each to its
 * probe. `/health` follows `X-Probe` unless it is given to a probe.
 */
export function resolveHttpRoutes(paths: unknown): HttpRoutes {
  if (paths !== undefined && (typeof paths !== 'object' || paths === null || Array.isArray(paths))) {
    throw invalid(`http.paths must be an object such as {"readiness": ["/ready"]}, got ${JSON.stringify(paths)}`);
  }
  const given = (paths ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(PROBES as readonly string[]).includes(key)) {
      throw invalid(`http.paths has an unknown probe ${JSON.stringify(key)}; use ${PROBES.join(', ')}`);
    }
  }
  const routes = new Map<string, ProbeName | undefined>();
  for (const probe of PROBES) {
    const list = given[probe] ?? DEFAULT_HTTP_PATHS[probe];
    if (!Array.isArray(list)) throw invalid(`http.paths.${probe} must be a list of paths, got ${JSON.stringify(list)}`);
    for (const path of list as unknown[]) {
      if (typeof path !== 'string' || !/^\/[^\s?#]*$/.test(path) || path.length > MAX_PATH_CHARS) {
        throw invalid(
          `http.paths.${probe} has ${JSON.stringify(path)}; a path starts with "/", has no spaces, "?" or "#", and is at most ${MAX_PATH_CHARS} characters`,
        );
      }
      const other = routes.get(path);
      if (routes.has(path)) {
        throw invalid(`http path ${path} is given to both ${String(other)} and ${probe}; each path answers one probe`);
      }
      routes.set(path, probe);
    }
  }
  if (!routes.has(X_PROBE_PATH)) routes.set(X_PROBE_PATH, undefined);
  return routes;
}

function invalid(message: string): HealthsockError {
  return new HealthsockError('ERR_INVALID_OPTION', message);
}
