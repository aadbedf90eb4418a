// What a listening server costs its host while idle, with or without an event-loop delay check:
// the process's CPU time over argv[3] ms, after one probe of each kind. argv[4] is "eventLoop"
// to add checks.eventLoopDelay() (default resolution), anything else for none.
import { setTimeout as sleep } from 'node:timers/promises';

const [socketPath = '', idleMs = '2000', variant = 'none'] = process.argv.slice(2);
const { checks, createHealthServer } = await import('../../packages/server/dist/index.js');
const health = createHealthServer({ socketPath });
health.addCheck('process', () => undefined, { probes: ['liveness'] });
if (variant === 'eventLoop') health.addCheck('event-loop', checks.eventLoopDelay(), { probes: ['liveness'] });
await health.listen();
for (const probe of /** @type {const} */ (['startup', 'liveness', 'readiness'])) await health.probe(probe);
await sleep(100);
const before = process.cpuUsage();
await sleep(Number(idleMs));
const used = process.cpuUsage(before);
await health.close();
process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, idleMs: Number(idleMs) })}\n`);
