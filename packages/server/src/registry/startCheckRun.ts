import { performance } from 'node:perf_hooks';
import { healthsockError } from '../model/errors.js';
import type { HealthsockError } from '../model/HealthsockError.js';
import type { ProbeName } from '../model/probes.js';
import type { CheckReport } from '../model/reports.js';
import { callUser } from '../user/callUser.js';
import { elapsedMs } from './elapsedMs.js';
import { readResult } from './readResult.js';
import { tidyMessage } from './tidyMessage.js';
import type { HealthCheck } from './types.js';
import { withTimeout } from './withTimeout.js';

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
  const tidy = (message: string) => tidyMessage(redact(message));
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

  const invoked = callUser(() => check(context));
  const outcome = invoked.then((called): Omit<CheckReport, 'name'> => {
    if (!called.ok) {
      return {
        status: 'unhealthy',
        durationMs: elapsedMs(startedAt),
        message: tidy(called.reason) || 'threw a blank message',
      };
    }
    const { message, ...result } = readResult(called.value);
    const text = message === undefined ? '' : tidy(message);
    return { ...result, ...(text ? { message: text } : {}), durationMs: elapsedMs(startedAt) };
  });

  const run: CheckRun = {
    report: withTimeout(outcome, timeoutMs, () => {
      run.timedOut = true;
      abortReason = healthsockError('ERR_CHECK_TIMEOUT', 'check', [timeoutMs]);
      const { message } = abortReason;
      controller?.abort(abortReason);
      return { status: 'unhealthy', durationMs: elapsedMs(startedAt), message };
    }),
    settled: invoked.then(noop),
    timedOut: false,
    startedAt,
  };
  return run;
}

function noop(): void {}
