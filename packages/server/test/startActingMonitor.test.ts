import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../src/model/reports.js';
import { startActingMonitor } from '../src/monitor/startActingMonitor.js';
import { sleep } from '../../../test/helpers/time.js';

const report: ProbeReport = { probe: 'liveness', status: 'healthy', durationMs: 0, checks: [] };
const evaluate = () => Promise.resolve(report);

describe('startActingMonitor', () => {
  it('rejects ready with the first action’s error', async () => {
    const failure = new Error('port taken');
    const { monitor, ready } = startActingMonitor(evaluate, {
      probe: 'liveness',
      intervalMs: 20,
      first: () => Promise.reject(failure),
      next: () => Promise.resolve(),
      onActionError: () => undefined,
      onError: () => undefined,
    });
    await expect(ready).rejects.toBe(failure);
    await monitor.stop();
  });

  it('reports a failing later action once until an action succeeds again', async () => {
    const outcomes = ['fail', 'fail', 'fail', 'pass', 'fail', 'fail'];
    const reported: string[] = [];
    let calls = 0;
    const { monitor, ready } = startActingMonitor(evaluate, {
      probe: 'liveness',
      intervalMs: 5,
      first: () => Promise.resolve(),
      next: () => {
        const outcome = outcomes[calls++] ?? 'pass';
        return outcome === 'fail' ? Promise.reject(new Error(`failure ${calls}`)) : Promise.resolve();
      },
      onActionError: (error) => reported.push((error as Error).message),
      onError: () => undefined,
    });
    await ready;
    while (calls < outcomes.length + 1) await sleep(5);
    await monitor.stop();
    expect(reported).toEqual(['failure 1', 'failure 5']);
  });
});
