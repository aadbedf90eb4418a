import { expect, it } from 'vitest';
import { renderChange, renderTable } from '../../src/watch/renderWatch.js';
import type { WatchRow } from '../../src/watch/trackRows.js';

const rows: WatchRow[] = [
  { name: 'readiness', status: 'unhealthy', durationMs: 2.04, message: undefined, since: 0, was: 'healthy' },
  { name: '  db', status: 'unhealthy', durationMs: 1.5, message: 'connect\nECONNREFUSED', since: 0, was: 'healthy' },
  { name: '  cache', status: 'healthy', durationMs: 130, message: undefined, since: -75_000, was: undefined },
];

it('draws a row per check with status, duration, time in that state and message, on one line each', () => {
  expect(renderTable(rows, 12_400, { colour: false, columns: 120 })).toEqual([
    'readiness  unhealthy     2.0 ms  for 12s',
    '  db       unhealthy     1.5 ms  for 12s     connect ECONNREFUSED',
    '  cache    healthy       130 ms  for 1m27s',
  ]);
});

it('colours only the status, and cuts lines to the terminal width', () => {
  const [first, second, third] = renderTable(rows, 0, { colour: true, columns: 40 });
  expect(first).toBe('readiness  \x1b[31munhealthy\x1b[0m     2.0 ms  for 0s');
  expect(second).toBe('  db       \x1b[31munhealthy\x1b[0m     1.5 ms  for 0…');
  expect(third).toContain('\x1b[32mhealthy  \x1b[0m');
});

it('writes a change as one log line with the time and what it was', () => {
  expect(renderChange(rows[1] as WatchRow, new Date('2026-11-22T01:00:00Z'))).toBe(
    '2026-11-22T01:00:00.000Z db unhealthy (was healthy) in 1.5 ms: connect ECONNREFUSED',
  );
});

it('lets no control byte of the server reach the terminal: names, statuses and messages are filtered', () => {
  const hostile = '\u001b]0;retitled\u0007\u001b[2J\u001b[H\u009b31m';
  const rows = [
    {
      name: `readiness${hostile}`,
      status: `unhealthy${hostile}`,
      durationMs: 1,
      message: `down${hostile}`,
      since: 0,
      was: undefined,
    },
    { name: `  db${hostile}`, status: 'healthy', durationMs: 1, message: undefined, since: 0, was: undefined },
  ];
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  for (const line of renderTable(rows, 0, { colour: false, columns: 200 })) expect(line).not.toMatch(CONTROL);
  // With colour, the only escapes are the colour's own, around the status.
  for (const line of renderTable(rows, 0, { colour: true, columns: 200 })) {
    // eslint-disable-next-line no-control-regex -- the colour's escapes are taken out
    expect(line.replace(/\u001b\[(31|32|33|0)m/g, '')).not.toMatch(CONTROL);
  }
});
