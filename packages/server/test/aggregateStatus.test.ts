import { describe, expect, it } from 'vitest';
import { aggregateStatus } from '../src/registry/aggregateStatus.js';

describe('aggregateStatus', () => {
  it('is healthy with no statuses', () => {
    expect(aggregateStatus([])).toBe('healthy');
  });

  it('takes the worst: unhealthy > degraded > healthy', () => {
    expect(aggregateStatus(['healthy', 'healthy'])).toBe('healthy');
    expect(aggregateStatus(['healthy', 'degraded'])).toBe('degraded');
    expect(aggregateStatus(['degraded', 'unhealthy', 'healthy'])).toBe('unhealthy');
  });
});
