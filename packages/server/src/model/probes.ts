/** The kinds of Kubernetes probe a server answers. */
export const PROBES = ['liveness', 'readiness', 'startup'] as const;

export type ProbeName = (typeof PROBES)[number];

export function isProbeName(value: unknown): value is ProbeName {
  return (PROBES as readonly unknown[]).includes(value);
}
