import { cutText, oneLine } from '@healthsock/server/protocol';
import type { WatchRow } from './trackRows.js';

const COLOURS: Readonly<Record<string, string>> = { healthy: '32', degraded: '33' };
/** Red for unhealthy and for every failure class (timeout, refused, ...). */
const FAILURE_COLOUR = '31';

/** A table of rows for a terminal, each cut to `columns` so that no line wraps and the redraw stays exact. */
export function renderTable(
  rows: readonly WatchRow[],
  now: number,
  options: { colour: boolean; columns: number },
): string[] {
  // Names, statuses and messages come from the server (a JSON body, a heartbeat file): each goes
  // through the filter every other output uses, so no control byte of theirs reaches the terminal.
  const shown = rows.map((row) => ({
    ...row,
    name: oneLine(row.name),
    status: oneLine(row.status),
    message: row.message && oneLine(row.message),
  }));
  const nameWidth = Math.max(...shown.map((row) => row.name.length));
  const statusWidth = Math.max(...shown.map((row) => row.status.length));
  return shown.map((row) => {
    const name = row.name.padEnd(nameWidth);
    const status = row.status.padEnd(statusWidth);
    const rest = `${formatMs(row.durationMs).padStart(9)}  for ${formatSince(now - row.since).padEnd(6)}${row.message ? `  ${row.message}` : ''}`;
    const plain = `${name}  ${status}  ${rest}`.trimEnd();
    const room = Math.max(20, options.columns - 1);
    const cut = cutText(plain, room);
    if (!options.colour) return cut;
    // The status sits at a fixed place in the cut line: colour exactly it, if it survived the cut.
    const at = name.length + 2;
    if (cut.length < at + status.length) return cut;
    const colour = COLOURS[row.status] ?? FAILURE_COLOUR;
    return `${cut.slice(0, at)}\x1b[${colour}m${status}\x1b[0m${cut.slice(at + status.length)}`;
  });
}

/** One log line for a row whose status changed: time, row, status, what it was, and why. */
export function renderChange(row: WatchRow, at: Date): string {
  const was = row.was === undefined ? '' : ` (was ${row.was})`;
  const duration = row.durationMs === undefined ? '' : ` in ${formatMs(row.durationMs)}`;
  return oneLine(
    `${at.toISOString()} ${row.name.trim()} ${row.status}${was}${duration}${row.message ? `: ${row.message}` : ''}`,
  );
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function formatSince(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
