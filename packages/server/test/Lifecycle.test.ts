import { describe, expect, it } from 'vitest';
import { Lifecycle, type LifecycleSteps } from '../src/lifecycle/Lifecycle.js';

/** A promise with its resolve and reject at hand, to hold a step where the test wants it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Steps that record what ran; each start returns a new name for what it started. */
function recordingSteps(overrides: Partial<LifecycleSteps<string>> = {}) {
  const log: string[] = [];
  let starts = 0;
  const steps: LifecycleSteps<string> = {
    start: async () => {
      const running = `run ${++starts}`;
      log.push(`start ${running}`);
      return running;
    },
    stop: async (running) => {
      log.push(`stop ${running ?? 'nothing'}`);
    },
    alreadyListening: () => new Error('already listening'),
    drainDelayMs: 0,
    ...overrides,
  };
  return { log, steps };
}

describe('Lifecycle', () => {
  it('goes idle → starting → listening → draining → closing → closed', async () => {
    const stopping = deferred();
    const { log, steps } = recordingSteps({ drainDelayMs: 20, stop: () => stopping.promise });
    const lifecycle = new Lifecycle(steps);
    expect(lifecycle.state).toBe('idle');
    const listening = lifecycle.listen();
    expect(lifecycle.state).toBe('starting');
    await listening;
    expect(lifecycle.state).toBe('listening');
    const shutdown = lifecycle.shutdown();
    expect(lifecycle.state).toBe('draining');
    while (lifecycle.state === 'draining') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lifecycle.state).toBe('closing');
    stopping.resolve();
    await shutdown;
    expect(lifecycle.state).toBe('closed');
    expect(log).toEqual(['start run 1']);
  });

  it('closes during a start once the start has finished, stopping what it started', async () => {
    const starting = deferred<string>();
    const { log, steps } = recordingSteps({ start: () => starting.promise });
    const lifecycle = new Lifecycle(steps);
    const listening = lifecycle.listen();
    const closed = lifecycle.close();
    expect(lifecycle.state).toBe('closing');
    starting.resolve('run 1');
    await listening;
    await closed;
    expect(log).toEqual(['stop run 1']);
    expect(lifecycle.state).toBe('closed');
  });

  it('makes a listen() during a close wait for it, then start again', async () => {
    const stopping = deferred();
    const { log, steps } = recordingSteps({
      stop: async (running) => {
        log.push(`stop ${running ?? 'nothing'}`);
        await stopping.promise;
      },
    });
    const lifecycle = new Lifecycle(steps);
    await lifecycle.listen();
    const closed = lifecycle.close();
    const listening = lifecycle.listen();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['start run 1', 'stop run 1']);
    stopping.resolve();
    await Promise.all([closed, listening]);
    expect(log).toEqual(['start run 1', 'stop run 1', 'start run 2']);
    expect(lifecycle.state).toBe('listening');
  });

  it('resolves every close() made during a close together, after one stop', async () => {
    const stopping = deferred();
    let stops = 0;
    const { steps } = recordingSteps({
      stop: () => {
        stops++;
        return stopping.promise;
      },
    });
    const lifecycle = new Lifecycle(steps);
    await lifecycle.listen();
    const first = lifecycle.close();
    const second = lifecycle.close();
    expect(second).toBe(first);
    const settled: string[] = [];
    void first.then(() => settled.push('first'));
    void second.then(() => settled.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toEqual([]);
    stopping.resolve();
    await Promise.all([first, second]);
    expect(settled).toEqual(['first', 'second']);
    expect(stops).toBe(1);
  });

  it('listens again after a close, with a new start', async () => {
    const { log, steps } = recordingSteps();
    const lifecycle = new Lifecycle(steps);
    await lifecycle.listen();
    await lifecycle.close();
    expect(lifecycle.state).toBe('closed');
    await lifecycle.listen();
    expect(lifecycle.state).toBe('listening');
    await lifecycle.close();
    expect(log).toEqual(['start run 1', 'stop run 1', 'start run 2', 'stop run 2']);
  });

  it('goes back to idle after a failed start, with nothing to stop, and can start again', async () => {
    const failure = new Error('port taken');
    let fail = true;
    const { log, steps } = recordingSteps();
    const start = steps.start;
    steps.start = () => (fail ? Promise.reject(failure) : start());
    const lifecycle = new Lifecycle(steps);
    await expect(lifecycle.listen()).rejects.toBe(failure);
    expect(lifecycle.state).toBe('idle');
    await lifecycle.close();
    expect(log).toEqual(['stop nothing']);
    fail = false;
    await lifecycle.listen();
    expect(lifecycle.state).toBe('listening');
  });

  it('refuses a listen() while starting, listening or draining', async () => {
    const starting = deferred<string>();
    const { steps } = recordingSteps({ start: () => starting.promise, drainDelayMs: 1000 });
    const lifecycle = new Lifecycle(steps);
    const listening = lifecycle.listen();
    await expect(lifecycle.listen()).rejects.toThrow('already listening');
    starting.resolve('run 1');
    await listening;
    await expect(lifecycle.listen()).rejects.toThrow('already listening');
    void lifecycle.shutdown();
    expect(lifecycle.state).toBe('draining');
    await expect(lifecycle.listen()).rejects.toThrow('already listening');
    await lifecycle.close();
  });

  it('returns the same promise from every shutdown(), and drains a server still starting', async () => {
    const starting = deferred<string>();
    const { log, steps } = recordingSteps({ start: () => starting.promise, drainDelayMs: 30 });
    const lifecycle = new Lifecycle(steps);
    const listening = lifecycle.listen();
    const shutdown = lifecycle.shutdown();
    expect(lifecycle.shutdown()).toBe(shutdown);
    starting.resolve('run 1');
    await listening;
    expect(lifecycle.state).toBe('draining');
    await shutdown;
    expect(lifecycle.state).toBe('closed');
    expect(log).toEqual(['stop run 1']);
  });

  it('closes a server that never listened, stopping only what runs without a start', async () => {
    const { log, steps } = recordingSteps();
    const lifecycle = new Lifecycle(steps);
    await lifecycle.shutdown();
    expect(lifecycle.state).toBe('closed');
    expect(log).toEqual(['stop nothing']);
  });
});
