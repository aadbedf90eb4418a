// A worker with `checks` checks (argv[2]) in startup and readiness, and one in liveness, serving
// /metrics on 127.0.0.1. Every probe is evaluated once, so that /metrics holds a series for every
// check. It prints its port, then answers each line "cpu" on stdin with its own CPU time in µs.
import { createInterface } from 'node:readline';

const count = Number(process.argv[2] ?? '100');
const { createHealthServer } = await import('../../packages/server/dist/index.js');
const health = createHealthServer({ socketPath: false, http: { port: 0, host: '127.0.0.1', metrics: true } });
for (let i = 0; i < count; i++) {
  health.addCheck(`dependency-${i}`, () => (i % 10 === 0 ? { status: 'degraded', message: 'slow' } : undefined));
}
health.addCheck('loop', () => undefined, { probes: ['liveness'] });
await health.listen();
for (const probe of /** @type {const} */ (['startup', 'readiness', 'liveness'])) await health.probe(probe);
process.stdout.write(`${health.ports.http}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${user + system}\n`);
  } else {
    void health.close().then(() => process.exit(0));
  }
});
