import type * as PerfHooks from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import { nowMs } from '../shared/nowMs.js';
import { requireBuiltin } from '../shared/requireBuiltin.js';
import type { CheckResult, HealthCheck } from '../registry/types.js';
import { CHECK_RESOURCE, type CheckResource } from './checkResource.js';
import { formatDuration } from './formatDuration.js';
import { validateNumber, validateCheckOptions } from '../options/validators.js';
import { MAX_LOOP_DELAY_MS } from '../model/limits.js';

export interface EventLoopDelayOptions {
  /** Unhealthy when the longest delay in the window exceeds this, in ms. Default 1000. */
  maxDelayMs?: number | undefined;
  /** Degraded when the window's p99 delay exceeds this, in ms: a loop that lags all the time. Default `maxDelayMs / 2`. */
  p99DelayMs?: number | undefined;
  /** How far back the check looks, in ms. Default 10 000: a stall stays visible for one probe period. */
  windowMs?: number | undefined;
  /** How often the loop is sampled, in ms. Default 10; each sample is a native timer tick. */
  resolutionMs?: number | undefined;
}

/** An event-loop delay check. It measures only while added to a server that is not closed. */
export interface EventLoopDelayCheck extends HealthCheck {
  /** Whether its histogram is sampling the event loop right now. */
  readonly measuring: boolean;
}

/** The window is kept as this many slices, so a stall leaves it at most one slice late. */
const SLICES = 5;

interface Slice {
  maxNs: number;
  p99Ns: number;
}

/**
 * A check on the event loop's responsiveness, from `perf_hooks.monitorEventLoopDelay` over a
 * sliding window. It is judged on the worst delay and on p99, never the mean, which hides stalls.
 * The histogram is native and costs one timer tick per `resolutionMs`, so it runs only from
 * `addCheck` until the server's `close()`.
 */
/** Every key of {@link EventLoopDelayOptions}: any other is a typo, refused with a suggestion. */
const EVENT_LOOP_DELAY_OPTION_KEYS = ['maxDelayMs', 'p99DelayMs', 'windowMs', 'resolutionMs'] as const;

export function eventLoopDelay(given?: EventLoopDelayOptions): EventLoopDelayCheck {
  const options = validateCheckOptions('eventLoopDelay', given, EVENT_LOOP_DELAY_OPTION_KEYS);
  const maxDelayMs = validateNumber(
    'checks.eventLoopDelay: maxDelayMs',
    options.maxDelayMs ?? 1000,
    1,
    MAX_LOOP_DELAY_MS,
  );
  const p99DelayMs = validateNumber(
    'checks.eventLoopDelay: p99DelayMs',
    options.p99DelayMs ?? maxDelayMs / 2,
    1,
    MAX_LOOP_DELAY_MS,
  );
  const windowMs = validateNumber(
    'checks.eventLoopDelay: windowMs',
    options.windowMs ?? 10_000,
    100,
    MAX_LOOP_DELAY_MS,
  );
  const resolutionMs = validateNumber(
    'checks.eventLoopDelay: resolutionMs',
    options.resolutionMs ?? 10,
    1,
    windowMs / SLICES,
  );
  const sliceMs = windowMs / SLICES;

  let users = 0;
  let histogram: IntervalHistogram | undefined;
  let rotation: NodeJS.Timeout | undefined;
  let closing: NodeJS.Immediate | undefined;
  // The closed slices, newest last; with the open one they span the window.
  const slices: Slice[] = [];

  let sliceDueAt = 0;
  const closeSlice = () => {
    if (!histogram) return;
    // A reset loses the sample of a stall still in progress, so the slice also keeps how late
    // it is being closed: a stall between the timer falling due and now delayed exactly that.
    const lateNs = (nowMs() - sliceDueAt + resolutionMs) * 1e6;
    const slice = summarise(histogram);
    slices.push({ maxNs: Math.max(slice.maxNs, lateNs), p99Ns: slice.p99Ns });
    if (slices.length >= SLICES) slices.shift();
    histogram.reset();
    scheduleSlice();
  };
  // Closed after the timers of this turn have run, so the histogram's own tick, overdue after a
  // stall, records it first.
  const rotate = () => {
    closing = setImmediate(closeSlice).unref();
  };
  const scheduleSlice = () => {
    sliceDueAt = nowMs() + sliceMs;
    rotation = setTimeout(rotate, sliceMs).unref();
  };

  const resource: CheckResource = {
    start() {
      users += 1;
      if (histogram) return;
      // Loaded here, not with the package: `node:perf_hooks` costs several times what the
      // package's own code does to import, and only a check that is measuring needs it.
      const { monitorEventLoopDelay } = requireBuiltin('node:perf_hooks') as typeof PerfHooks;
      histogram = monitorEventLoopDelay({ resolution: resolutionMs });
      histogram.enable();
      scheduleSlice();
    },
    stop() {
      users = Math.max(0, users - 1);
      if (users > 0 || !histogram) return;
      histogram.disable();
      histogram = undefined;
      clearTimeout(rotation);
      clearImmediate(closing);
      slices.length = 0;
    },
  };

  const check = (): CheckResult => {
    if (!histogram) {
      return { status: 'healthy', message: 'not measuring: add the check to a server that is not closed' };
    }
    let maxNs = 0;
    let p99Ns = 0;
    for (const slice of [...slices, summarise(histogram)]) {
      maxNs = Math.max(maxNs, slice.maxNs);
      p99Ns = Math.max(p99Ns, slice.p99Ns);
    }
    // A sample is the time between two ticks, so the delay is what exceeds the tick's interval.
    const maxMs = Math.max(0, maxNs / 1e6 - resolutionMs);
    const p99Ms = Math.max(0, p99Ns / 1e6 - resolutionMs);
    const data = { maxDelayMs: round(maxMs), p99DelayMs: round(p99Ms), windowMs };
    const numbers = `${formatDuration(maxMs)} (p99 ${formatDuration(p99Ms)} over ${formatDuration(windowMs)})`;
    if (maxMs > maxDelayMs) return { status: 'unhealthy', message: `event loop delayed ${numbers}`, data };
    if (p99Ms > p99DelayMs) return { status: 'degraded', message: `event loop lagging ${numbers}`, data };
    return { status: 'healthy', data };
  };
  Object.defineProperty(check, CHECK_RESOURCE, { value: resource });
  return Object.defineProperty(check, 'measuring', {
    get: () => histogram !== undefined,
    enumerable: true,
  }) as typeof check & EventLoopDelayCheck;
}

/** A slice keeps its worst sample and its p99; the window's p99 is its worst slice's p99. */
function summarise(histogram: IntervalHistogram): Slice {
  return histogram.count === 0 ? { maxNs: 0, p99Ns: 0 } : { maxNs: histogram.max, p99Ns: histogram.percentile(99) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
