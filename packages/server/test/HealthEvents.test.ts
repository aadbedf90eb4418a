import { describe, expect, it, vi } from 'vitest';
import { HealthEvents, type ChangeEvent } from '../src/events/HealthEvents.js';
import { HealthsockError } from '../src/model/HealthsockError.js';
import type { ProbeReport } from '../src/model/reports.js';
import type { Status } from '../src/model/statuses.js';

const report = (status: Status, probe: ProbeReport['probe'] = 'readiness'): ProbeReport => ({
  probe,
  status,
  durationMs: 1,
  checks: status === 'healthy' ? [] : [{ name: 'postgres', status, durationMs: 1, message: 'connect ECONNREFUSED' }],
});

/** A HealthEvents with a mock listener on `change`. */
function withChangeListener() {
  const events = new HealthEvents();
  const listener = vi.fn();
  events.on('change', listener);
  return { events, listener };
}

describe('HealthEvents', () => {
  it('fires change once per transition of each probe, never for the first evaluation', () => {
    const events = new HealthEvents();
    const seen: string[] = [];
    events.on('change', ({ probe, from, to }: ChangeEvent) => seen.push(`${probe} ${from}->${to}`));
    for (const status of ['unhealthy', 'unhealthy', 'healthy', 'healthy', 'degraded', 'unhealthy'] as const) {
      events.observe(report(status));
    }
    events.observe(report('healthy', 'liveness'));
    events.observe(report('unhealthy', 'liveness'));
    expect(seen).toEqual([
      'readiness unhealthy->healthy',
      'readiness healthy->degraded',
      'readiness degraded->unhealthy',
      'liveness healthy->unhealthy',
    ]);
  });

  it('hands the listener the report that saw the change', () => {
    const { events, listener } = withChangeListener();
    events.observe(report('healthy'));
    const failing = report('unhealthy');
    events.observe(failing);
    expect(listener).toHaveBeenCalledWith({ probe: 'readiness', from: 'healthy', to: 'unhealthy', report: failing });
  });

  it('logs changes: info when healthy again, warn otherwise, with the failing check', () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    const events = new HealthEvents(logger);
    events.observe(report('healthy'));
    events.observe(report('unhealthy'));
    events.observe(report('healthy'));
    expect(logger.warn).toHaveBeenCalledWith(
      'healthsock: readiness healthy -> unhealthy: postgres: connect ECONNREFUSED',
    );
    expect(logger.info).toHaveBeenCalledWith('healthsock: readiness unhealthy -> healthy');
  });

  it('reports a throwing or rejecting listener as an error, and still calls the others', async () => {
    const events = new HealthEvents();
    const errors: HealthsockError[] = [];
    const after = vi.fn();
    events.on('error', (error: HealthsockError) => errors.push(error));
    events.on('change', () => {
      throw new Error('listener bug');
    });
    events.on('change', () => Promise.reject(new Error('async listener bug')));
    events.on('change', after);
    events.observe(report('healthy'));
    expect(() => events.observe(report('unhealthy'))).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['ERR_LISTENER_FAILED', "healthsock: a 'change' listener failed: listener bug"],
      ['ERR_LISTENER_FAILED', "healthsock: a 'change' listener failed: async listener bug"],
    ]);
  });

  it('reports a listener that throws or rejects a value without a prototype, and calls the next', async () => {
    const events = new HealthEvents();
    const errors: string[] = [];
    const after = vi.fn();
    events.on('error', (error: HealthsockError) => errors.push(error.message));
    events.on('change', () => {
      throw Object.create(null);
    });
    events.on('change', () => Promise.reject(Object.create(null)));
    events.on('change', after);
    events.observe(report('healthy'));
    expect(() => events.observe(report('unhealthy'))).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toEqual([
      "healthsock: a 'change' listener failed: threw {}",
      "healthsock: a 'change' listener failed: threw {}",
    ]);
  });

  it('turns an async logger that rejects into a process warning, not an unhandled rejection', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const events = new HealthEvents({
      info: async () => undefined,
      warn: () => Promise.reject(new Error('shipper down')),
    });
    events.observe(report('healthy'));
    events.observe(report('unhealthy'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warning).toHaveBeenCalledWith('healthsock: the logger failed: shipper down');
  });

  it('sends faults to error listeners and the logger, and to a process warning only when neither exists', () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const fault = new HealthsockError('ERR_SHUTDOWN_FAILED', 'healthsock: shutdown on SIGTERM failed: boom');
    new HealthEvents().fault(fault);
    expect(warning).toHaveBeenCalledWith(fault);
    warning.mockClear();

    const logger = { info: vi.fn(), warn: vi.fn() };
    const listener = vi.fn();
    const events = new HealthEvents(logger);
    events.on('error', listener);
    events.fault(fault);
    expect(listener).toHaveBeenCalledWith(fault);
    expect(logger.warn).toHaveBeenCalledWith(fault.message);
    expect(warning).not.toHaveBeenCalled();
  });

  it('falls back to a process warning when an error listener or the logger throws', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const events = new HealthEvents({
      info: () => undefined,
      warn: () => {
        throw new Error('logger down');
      },
    });
    events.on('error', () => {
      throw new Error('error listener bug');
    });
    events.fault(new HealthsockError('ERR_SHUTDOWN_FAILED', 'boom'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warning.mock.calls.map(([text]) => text)).toEqual([
      'healthsock: the logger failed: logger down',
      "healthsock: an 'error' listener failed: error listener bug",
    ]);
  });

  it('removes listeners with off, and rejects unknown events and non-functions', () => {
    const { events, listener } = withChangeListener();
    events.off('change', listener);
    events.observe(report('healthy'));
    events.observe(report('unhealthy'));
    expect(listener).not.toHaveBeenCalled();
    expect(() => events.on('change', 'nope' as unknown as () => void)).toThrow(/a change listener must be a function/);
    expect(() => events.on('close' as 'change', listener)).toThrow(/unknown event "close"; use 'change' or 'error'/);
  });
});
