import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_RESOURCE, checkResourceOf } from '../src/checks/checkResource.js';
import { eventLoopDelay, type EventLoopDelayCheck } from '../src/checks/eventLoopDelay.js';
import { sleep } from '../../../test/helpers/time.js';

const context = { signal: new AbortController().signal, probe: 'liveness' as const };
const block = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // A synchronous stall, as a runaway loop or a sync call would cause.
  }
};

const started: EventLoopDelayCheck[] = [];
function start(check: EventLoopDelayCheck): EventLoopDelayCheck {
  checkResourceOf(check)?.start();
  started.push(check);
  return check;
}
afterEach(() => {
  for (const check of started.splice(0)) if (check.measuring) checkResourceOf(check)?.stop();
});

describe('checks.eventLoopDelay', () => {
  it('measures nothing until started, and stops when its last user stops it', () => {
    const check = eventLoopDelay();
    expect(check.measuring).toBe(false);
    expect(check(context)).toMatchObject({ status: 'healthy', message: expect.stringMatching(/^not measuring/) });
    const resource = checkResourceOf(check);
    expect(resource).toBe((check as unknown as Record<symbol, unknown>)[CHECK_RESOURCE]);
    resource?.start();
    resource?.start();
    expect(check.measuring).toBe(true);
    resource?.stop();
    expect(check.measuring).toBe(true);
    resource?.stop();
    expect(check.measuring).toBe(false);
  });

  it('is healthy on an idle loop, then unhealthy after a stall, with the numbers, and recovers after the window', async () => {
    const check = start(eventLoopDelay({ maxDelayMs: 150, windowMs: 500 }));
    await sleep(50);
    expect(check(context)).toMatchObject({ status: 'healthy', data: { windowMs: 500 } });
    block(300);
    await sleep(30);
    const stalled = check(context);
    expect(stalled).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/^event loop delayed \d+ ms \(p99 \d+ ms over 500 ms\)$/),
    });
    expect((stalled as { data: { maxDelayMs: number } }).data.maxDelayMs).toBeGreaterThanOrEqual(250);
    await sleep(800);
    expect(check(context)).toMatchObject({ status: 'healthy' });
  });

  it('keeps a stall that ends just as a slice of the window closes', async () => {
    // Slices of 100 ms: every 250 ms block overruns a slice's end, so the slice timer and the
    // histogram's tick that records the stall fall due in the same turn of the loop.
    // A busy JavaScript timer makes Node's timers fall due before the histogram's native tick.
    const check = start(eventLoopDelay({ maxDelayMs: 150, windowMs: 500 }));
    const busy = setInterval(() => undefined, 1);
    try {
      for (let i = 0; i < 5; i++) {
        await sleep(20);
        // Blocking outside the timers phase, as an I/O callback would, leaves both overdue.
        await new Promise((resolve) => setImmediate(() => resolve(block(250))));
        await sleep(5);
        expect(check(context)).toMatchObject({ status: 'unhealthy' });
      }
    } finally {
      clearInterval(busy);
    }
  });

  it('is degraded while the loop lags all the time, judged on p99', async () => {
    const check = start(eventLoopDelay({ maxDelayMs: 1000, p99DelayMs: 20, windowMs: 1000, resolutionMs: 5 }));
    for (let i = 0; i < 8; i++) {
      block(50);
      await sleep(1);
    }
    expect(check(context)).toMatchObject({
      status: 'degraded',
      message: expect.stringMatching(/^event loop lagging \d+ ms \(p99 \d+ ms over 1 s\)$/),
    });
  });

  it('rejects bad options', () => {
    expect(() => eventLoopDelay({ maxDelayMs: 0 })).toThrow(/eventLoopDelay: maxDelayMs is 0/);
    expect(() => eventLoopDelay({ windowMs: 50 })).toThrow(/windowMs is 50/);
    expect(() => eventLoopDelay({ windowMs: 1000, resolutionMs: 500 })).toThrow(
      /resolutionMs is 500; it must be a number from 1 to 200/,
    );
  });
});
