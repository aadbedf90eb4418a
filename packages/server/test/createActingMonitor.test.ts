import { describe, expect, it } from 'vitest';
import { HealthsockError } from '../src/model/HealthsockError.js';
import type { ProbeName } from '../src/model/probes.js';
import type { ProbeReport } from '../src/model/reports.js';
import { createActingMonitor, type ProbeActions } from '../src/monitor/createActingMonitor.js';
import { sleep } from '../../../test/helpers/time.js';

const healthy: ProbeReport = { probe: 'liveness', status: 'healthy', durationMs: 0, checks: [] };
const unhealthy: ProbeReport = { ...healthy, status: 'unhealthy' };

/** A monitor of the liveness probe, whose reports and faults the test decides and reads. */
function monitorOf(actions: Partial<ProbeActions>, evaluate: (probe: ProbeName) => Promise<ProbeReport>) {
  const faults: HealthsockError[] = [];
  const monitor = createActingMonitor(
    { probe: 'liveness', intervalMs: 5 },
    { registry: { evaluate }, fault: (error) => faults.push(error) },
    {
      name: 'test gate',
      code: 'ERR_PORT_LISTEN',
      hold: () => Promise.resolve(),
      drop: () => Promise.resolve(),
      translate: (error) => new HealthsockError('ERR_PORT_LISTEN', (error as Error).message, { cause: error }),
      ...actions,
    },
  );
  return { monitor, faults };
}

describe('createActingMonitor', () => {
  it('rejects the start with the first action’s error, translated, once it has stopped and let go', async () => {
    const failure = new Error('port taken');
    let dropped = 0;
    const { monitor } = monitorOf(
      {
        hold: () => Promise.reject(failure),
        drop: async () => {
          dropped++;
        },
      },
      () => Promise.resolve(healthy),
    );
    await expect(monitor.start()).rejects.toMatchObject({
      code: 'ERR_PORT_LISTEN',
      message: 'port taken',
      cause: failure,
    });
    expect(dropped).toBe(1);
  });

  it('makes the resource on a failing first report, lets it go again, and starts', async () => {
    const acts: string[] = [];
    const { monitor } = monitorOf(
      {
        hold: async () => acts.push('hold'),
        drop: async () => acts.push('drop'),
      },
      () => Promise.resolve(unhealthy),
    );
    await monitor.start();
    expect(acts.slice(0, 2)).toEqual(['hold', 'drop']);
    await monitor.stop();
    expect(acts.every((act, index) => act === (index === 0 ? 'hold' : 'drop'))).toBe(true);
  });

  it('reports a failing later action once until an action succeeds again', async () => {
    const outcomes = ['pass', 'fail', 'fail', 'fail', 'pass', 'fail', 'fail'];
    let calls = 0;
    let dropped = 0;
    const { monitor, faults } = monitorOf(
      {
        hold: () => {
          const outcome = outcomes[calls++] ?? 'pass';
          return outcome === 'fail' ? Promise.reject(new Error(`failure ${calls}`)) : Promise.resolve();
        },
        drop: async () => {
          dropped++;
        },
      },
      () => Promise.resolve(healthy),
    );
    await monitor.start();
    while (calls < outcomes.length + 1) await sleep(5);
    await monitor.stop();
    expect(faults.map(({ code, message }) => ({ code, message }))).toEqual([
      { code: 'ERR_PORT_LISTEN', message: 'healthsock: failure 2; retrying every 5 ms' },
      { code: 'ERR_PORT_LISTEN', message: 'healthsock: failure 6; retrying every 5 ms' },
    ]);
    expect(dropped).toBe(1);
  });

  it('reports a failed evaluation as a fault that names what acts, and evaluates again', async () => {
    let evaluations = 0;
    const { monitor, faults } = monitorOf({ code: 'ERR_HEARTBEAT_FILE' }, () =>
      evaluations++ === 0 ? Promise.reject(new Error('registry broke')) : Promise.resolve(healthy),
    );
    await monitor.start();
    await monitor.stop();
    expect(faults.map(({ code, message }) => ({ code, message }))).toEqual([
      {
        code: 'ERR_HEARTBEAT_FILE',
        message: "healthsock: the test gate's liveness probe failed: Error: registry broke",
      },
    ]);
  });
});
