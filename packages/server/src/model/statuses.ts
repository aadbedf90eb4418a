/** Outcomes of a check or a probe, from best to worst. */
export const STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;

export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return (STATUSES as readonly unknown[]).includes(value);
}
