import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { heap } from '../src/checks/heap.js';

const context = { signal: new AbortController().signal, probe: 'readiness' as const };
const used = () => getHeapStatistics().used_heap_size;

describe('checks.heap', () => {
  it('is healthy well below the V8 heap limit, and reports the figures', async () => {
    const result = (await heap()(context)) as { status: string; data: { limitBytes: number; usedBytes: number } };
    expect(result.status).toBe('healthy');
    expect(result.data.limitBytes).toBe(getHeapStatistics().heap_size_limit);
    expect(result.data.usedBytes).toBeGreaterThan(0);
  });

  it('is degraded near a given limit and unhealthy past it', async () => {
    // The heap moves a little between two readings, so each case sits in the middle of its band.
    await expect(heap({ limitBytes: Math.round(used() / 0.85) })(context)).resolves.toMatchObject({
      status: 'degraded',
      message: expect.stringMatching(/^heap \d+ MiB of \d+ MiB \(8\d%, degraded above 80%\)$/),
    });
    await expect(heap({ limitBytes: Math.round(used() / 1.5) })(context)).resolves.toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^heap \d+ MiB of \d+ MiB \(1\d\d%, max 90%\)$/),
    });
    const custom = heap({ limitBytes: Math.round(used() / 0.5), maxUsedRatio: 0.7, degradedRatio: 0.4 });
    await expect(custom(context)).resolves.toMatchObject({ status: 'degraded' });
  });

  it('rejects bad options', () => {
    expect(() => heap({ maxUsedRatio: 1.2 })).toThrow(/maxUsedRatio is 1.2/);
    expect(() => heap({ maxUsedRatio: 0.5, degradedRatio: 0.6 })).toThrow(
      /degradedRatio 0.6 is above maxUsedRatio 0.5/,
    );
    expect(() => heap({ limitBytes: 1000 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});
