import type { ProbeReply } from '@healthsock/server/protocol';
import { expect, it } from 'vitest';
import { trackRows } from '../../src/watch/trackRows.js';

const reply = (db: 'healthy' | 'unhealthy'): ProbeReply => ({
  v: 1,
  probe: 'readiness',
  status: db,
  durationMs: 2,
  checks: [
    { name: 'db', status: db, durationMs: 1.5, ...(db === 'unhealthy' ? { message: 'down' } : {}) },
    { name: 'cache', status: 'healthy', durationMs: 0.5 },
  ],
});

it('keeps a row in its state since the status was first seen, and marks what changed', () => {
  const first = trackRows([], { reply: reply('healthy') }, 100, 'readiness');
  expect(first.map((row) => [row.name, row.status, row.since, row.was])).toEqual([
    ['readiness', 'healthy', 100, undefined],
    ['  db', 'healthy', 100, undefined],
    ['  cache', 'healthy', 100, undefined],
  ]);
  const second = trackRows(first, { reply: reply('unhealthy') }, 200, 'readiness');
  expect(second.map((row) => [row.name, row.status, row.since, row.was, row.message])).toEqual([
    ['readiness', 'unhealthy', 200, 'healthy', undefined],
    ['  db', 'unhealthy', 200, 'healthy', 'down'],
    ['  cache', 'healthy', 100, undefined, undefined],
  ]);
});

it('shows a failure without a reply as the probe row, with its class as the status', () => {
  const first = trackRows([], { reply: reply('healthy') }, 100, 'readiness');
  const failed = trackRows(first, { failure: { code: 'timeout', message: 'no reply within 800ms' } }, 300, 'readiness');
  expect(failed).toEqual([
    {
      name: 'readiness',
      status: 'timeout',
      durationMs: undefined,
      message: 'no reply within 800ms',
      since: 300,
      was: 'healthy',
    },
  ]);
});
