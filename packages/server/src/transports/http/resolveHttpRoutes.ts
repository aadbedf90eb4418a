import { MAX_HTTP_PATH_CHARS } from '../../model/limits.js';
import { PROBES, type ProbeName } from '../../model/probes.js';
import {
  invalidOption,
  validateKnown,
  validateObject,
  validateList,
  validateUrlPath,
} from '../../options/validators.js';

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

/**
 * Validates the configured paths (a probe not given keeps its defaults) and maps each to its
 * probe. `/health` follows `X-Probe` unless it is given to a probe.
 */
export function resolveHttpRoutes(paths: unknown): HttpRoutes {
  const given =
    paths === undefined ? {} : validateObject('http.paths', paths, { example: '{"readiness": ["/ready"]}' });
  for (const key of Object.keys(given))
    validateKnown('http.paths has an unknown probe', key, PROBES, PROBES.join(', '));
  const routes = new Map<string, ProbeName | undefined>();
  for (const probe of PROBES) {
    const list = validateList<unknown>(
      `http.paths.${probe}`,
      given[probe] ?? DEFAULT_HTTP_PATHS[probe],
      'a list of paths',
    );
    for (const item of list) {
      const path = validateUrlPath(`http.paths.${probe}`, item, MAX_HTTP_PATH_CHARS);
      const other = routes.get(path);
      if (routes.has(path)) {
        throw invalidOption(
          `http path ${path} is given to both ${String(other)} and ${probe}; each path answers one probe`,
        );
      }
      routes.set(path, probe);
    }
  }
  if (!routes.has(X_PROBE_PATH)) routes.set(X_PROBE_PATH, undefined);
  return routes;
}
