import { performance } from 'node:perf_hooks';
import { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import { isStatus } from '../model/statuses.js';
import type { CheckReport } from '../model/reports.js';
import { elapsedMs } from './elapsedMs.js';
import type { HealthCheck } from './types.js';
import { withTimeout } from './withTimeout.js';

/** Messages are cut here so that one chatty check cannot crowd the probe's reply line. */
const MAX_MESSAGE_CHARS = 200;

/** One run of one check. `report` settles within its timeout; `settled` when the check itself does. */
export interface CheckRun {
  report: Promise<Omit<CheckReport, 'name'>>;
  settled: Promise<void>;
  timedOut: boolean;
  startedAt: number;
}

/**
 * Runs a check once, bounded by `timeoutMs`. The report never rejects: a throw, a rejection and
 * a timeout all become an unhealthy report. On timeout the check's signal is aborted, but the
 * check may go on running; `settled` tells when it finally stops.
 */
export function startCheckRun(
  check: HealthCheck,
  probe: ProbeName,
  timeoutMs: number,
  redact: (message: string) => string = (message) => message,
): CheckRun {
  const tidy = (message: string) => truncate(redact(message));
  const startedAt = performance.now();
  // Most checks never look at their signal, and an AbortController is not free on every probe.
  let controller: AbortController | undefined;
  let abortReason: HealthsockError | undefined;
  const context = {
    probe,
    get signal(): AbortSignal {
      if (!controller && abortReason) return AbortSignal.abort(abortReason);
      return (controller ??= new AbortController()).signal;
    },
  };

  let invoked: Promise<unknown>;
  try {
    invoked = Promise.resolve(check(context));
  } catch (error) {
    invoked = Promise.reject(error);
  }
  const outcome = invoked.then(
    (value) => ({ ...fromReturnValue(value, tidy), durationMs: elapsedMs(startedAt) }),
    (error: unknown) => ({
      status: 'unhealthy' as const,
      durationMs: elapsedMs(startedAt),
      message: tidy(describeThrown(error)),
    }),
  );

  const run: CheckRun = {
    report: withTimeout(outcome, timeoutMs, () => {
      run.timedOut = true;
      const message = `timed out after ${timeoutMs} ms`;
      abortReason = new HealthsockError('ERR_CHECK_TIMEOUT', message);
      controller?.abort(abortReason);
      return { status: 'unhealthy', durationMs: elapsedMs(startedAt), message };
    }),
    settled: invoked.then(noop, noop),
    timedOut: false,
    startedAt,
  };
  return run;
}

function fromReturnValue(value: unknown, tidy: (message: string) => string): Omit<CheckReport, 'name' | 'durationMs'> {
  if (typeof value !== 'object' || value === null || !isStatus((value as { status?: unknown }).status)) {
    return { status: 'healthy' };
  }
  const { status, message, data } = value as { status: CheckReport['status']; message?: unknown; data?: unknown };
  return {
    status,
    ...(typeof message === 'string' && message !== '' ? { message: tidy(message) } : {}),
    ...(isSerializable(data) ? { data } : {}),
  };
}

/** The message of whatever a check threw, never its stack: stacks leak paths and waste the line. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error || 'threw an empty string';
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(error);
  } catch {
    // A cyclic object or a BigInt: fall through to String().
  }
  return `threw ${text ?? String(error)}`;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}

function isSerializable(data: unknown): boolean {
  if (data === undefined) return false;
  try {
    return JSON.stringify(data) !== undefined;
  } catch {
    return false;
  }
}

function noop(): void {}
