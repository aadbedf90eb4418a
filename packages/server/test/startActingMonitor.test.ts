import { describe, expect, it } from 'vitest';
import { HealthsockError } from '../src/model/HealthsockError.js';
import type { ProbeReport } from '../src/model/reports.js';
import { startActingMonitor, type ActingMonitorOptions } from '../src/monitor/startActingMonitor.js';

const report: ProbeReport = { probe: 'liveness', status: 'healthy', durationMs: 0, checks: [] };
const evaluate = () => Promise.resolve(report);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = (overrides: Partial<ActingMonitorOptions>): ActingMonitorOptions => ({
  probe: 'liveness',
  intervalMs: 20,
  name: 'test gate',
  code: 'ERR_PORT_LISTEN',
  first: () => Promise.resolve(),
  next: () => Promise.resolve(),
  release: () => Promise.resolve(),
  translate: (error) => new HealthsockError('ERR_PORT_LISTEN', (error as Error).message, { cause: error }),
  fault: () => undefined,
  ...overrides,
});

describe('startActingMonitor', () => {
  it('rejects with the first action’s error, translated, once it has stopped and released', async () => {
    const failure = new Error('port taken');
    let released = 0;
    const started = startActingMonitor(
      evaluate,
      options({
        first: () => Promise.reject(failure),
        release: async () => {
          released++;
        },
      }),
    );
    await expect(started).rejects.toMatchObject({ code: 'ERR_PORT_LISTEN', message: 'port taken', cause: failure });
    expect(released).toBe(1);
  });

  it('reports a failing later action once until an action succeeds again', async () => {
    const outcomes = ['fail', 'fail', 'fail', 'pass', 'fail', 'fail'];
    const reported: HealthsockError[] = [];
    let calls = 0;
    let released = 0;
    const monitor = await startActingMonitor(
      evaluate,
      options({
        intervalMs: 5,
        next: () => {
          const outcome = outcomes[calls++] ?? 'pass';
          return outcome === 'fail' ? Promise.reject(new Error(`failure ${calls}`)) : Promise.resolve();
        },
        release: async () => {
          released++;
        },
        fault: (error) => reported.push(error),
      }),
    );
    while (calls < outcomes.length + 1) await sleep(5);
    await monitor.stop();
    expect(reported.map(({ code, message }) => ({ code, message }))).toEqual([
      { code: 'ERR_PORT_LISTEN', message: 'healthsock: failure 1; retrying every 5 ms' },
      { code: 'ERR_PORT_LISTEN', message: 'healthsock: failure 5; retrying every 5 ms' },
    ]);
    expect(released).toBe(1);
  });

  it('reports a failed evaluation as a fault that names what acts, and evaluates again', async () => {
    const faults: HealthsockError[] = [];
    let evaluations = 0;
    const failingOnce = () => (evaluations++ === 0 ? Promise.reject(new Error('registry broke')) : evaluate());
    const monitor = await startActingMonitor(
      failingOnce,
      options({ intervalMs: 5, code: 'ERR_HEARTBEAT_FILE', fault: (error) => faults.push(error) }),
    );
    await monitor.stop();
    expect(faults.map(({ code, message }) => ({ code, message }))).toEqual([
      { code: 'ERR_HEARTBEAT_FILE', message: "healthsock: the test gate's liveness probe failed: Error: registry broke" },
    ]);
  });
});
