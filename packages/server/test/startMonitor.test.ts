import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../src/model/reports.js';
import { startMonitor } from '../src/monitor/startMonitor.js';
import { Registry } from '../src/registry/Registry.js';
import { sleep } from '../../../test/helpers/time.js';

function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() - startedAt > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('startMonitor', () => {
  it('evaluates at once, then every interval, passing the previous report', async () => {
    let healthy = true;
    const registry = new Registry();
    registry.add(
      'flag',
      () => {
        if (!healthy) throw new Error('down');
      },
      { probes: ['readiness'] },
    );
    const seen: [string, string | undefined][] = [];
    const monitor = startMonitor((probe) => registry.evaluate(probe), {
      probe: 'readiness',
      intervalMs: 20,
      onReport: (report, previous) => seen.push([report.status, previous?.status]),
    });
    await until(() => seen.length >= 1);
    expect(seen[0]).toEqual(['healthy', undefined]);
    healthy = false;
    await until(() => seen.at(-1)?.[0] === 'unhealthy');
    await monitor.stop();
    const change = seen.findIndex(([status]) => status === 'unhealthy');
    expect(seen[change]).toEqual(['unhealthy', 'healthy']);
  });

  it('never overlaps evaluations, and stops ticking once stopped', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const evaluate = async (): Promise<ProbeReport> => {
      calls++;
      most = Math.max(most, ++active);
      await sleep(15);
      active--;
      return { probe: 'liveness', status: 'healthy', durationMs: 15, checks: [] };
    };
    const monitor = startMonitor(evaluate, { probe: 'liveness', intervalMs: 1, onReport: () => undefined });
    await until(() => calls >= 4);
    await monitor.stop();
    const callsAtStop = calls;
    await sleep(60);
    expect(most).toBe(1);
    expect(calls).toBe(callsAtStop);
    expect(active).toBe(0);
  });

  it('passes a failing onReport to onError and keeps going', async () => {
    const errors: unknown[] = [];
    let reports = 0;
    const monitor = startMonitor(async () => ({ probe: 'liveness', status: 'healthy', durationMs: 0, checks: [] }), {
      probe: 'liveness',
      intervalMs: 5,
      onReport: () => {
        reports++;
        throw new Error('disk full');
      },
      onError: (error) => errors.push(error),
    });
    try {
      await until(() => reports >= 2 && errors.length >= 2);
      expect(errors[0]).toEqual(new Error('disk full'));
    } finally {
      await monitor.stop();
    }
  });
});
