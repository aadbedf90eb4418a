import type { CheckReport, ProbeReport } from '../../model/reports.js';
import { cutText } from '../../shared/cutText.js';

/** kubelet reads at most 10 KiB of a probe's body; the body stays well under that. */
export const MAX_HTTP_BODY_BYTES = 8192;

export interface HealthTextOptions {
  /** List every check, even when the probe passes (`?verbose`). */
  verbose: boolean;
  /** Checks left out with `?exclude=`, listed as excluded. */
  excluded: readonly string[];
  /** Names given to `?exclude=` that match no check of the probe. */
  unmatched: readonly string[];
  /** Show check messages; otherwise a failure says only `reason withheld`. */
  details: boolean;
}

/**
 * The plain-text body of the Kubernetes API server's health endpoints: `ok` when the probe
 * passes, else (or with `?verbose`) a `[+]name ok` / `[-]name failed: reason` line per check,
 * then `<probe> check passed|failed`.
 */
export function formatHealthText(report: ProbeReport, options: HealthTextOptions): string {
  const passed = report.status !== 'unhealthy';
  if (passed && !options.verbose) return 'ok\n';
  const verdict = `${report.probe} check ${passed ? 'passed' : 'failed'}${report.message ? `: ${oneLine(report.message)}` : ''}`;
  const warning =
    options.unmatched.length > 0
      ? [
          `warn: some health checks cannot be excluded: no matches for ${options.unmatched.map((name) => JSON.stringify(name)).join(', ')}`,
        ]
      : [];
  const lines = report.checks.map((check) => ({ check, text: checkLine(check, options.details) }));
  const excluded = options.excluded.map((name) => `[+]${name} excluded: ok`);
  const body = (checkLines: string[], left: number) =>
    `${[...checkLines, ...(left > 0 ? [`(${left} checks left out to keep the body small)`] : []), ...warning, verdict]
      .map((line) => `${line}\n`)
      .join('')}`;

  const all = [...lines.map((line) => line.text), ...excluded];
  let text = body(all, 0);
  if (Buffer.byteLength(text) <= MAX_HTTP_BODY_BYTES) return text;
  // Too long: the failing checks matter most, so the others go first, then detail.
  const failing = lines.filter((line) => line.check.status !== 'healthy');
  let kept = failing.map((line) => line.text);
  text = body(kept, all.length - kept.length);
  if (Buffer.byteLength(text) <= MAX_HTTP_BODY_BYTES) return text;
  kept = kept.map((line) => cutText(line, 120));
  while (kept.length > 0 && Buffer.byteLength(body(kept, all.length - kept.length)) > MAX_HTTP_BODY_BYTES) kept.pop();
  return body(kept, all.length - kept.length);
}

function checkLine(check: CheckReport, details: boolean): string {
  if (check.status === 'healthy') return `[+]${check.name} ok`;
  // Withheld, a failure always says so, as the Kubernetes API server does.
  const reason = !details ? ': reason withheld' : check.message === undefined ? '' : `: ${oneLine(check.message)}`;
  return check.status === 'degraded' ? `[+]${check.name} degraded${reason}` : `[-]${check.name} failed${reason}`;
}

/** A message is one line wherever it is shown. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
