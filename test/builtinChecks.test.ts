// End to end: the built-in liveness checks in a real worker process, probed by the built CLI.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv, run, runCli } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollFor, sleep } from './helpers/time.js';

const CONSUMER = fileURLToPath(new URL('./fixtures/consumer.js', import.meta.url));
const sandbox = useSandbox();

/** Probes liveness every 100 ms until its exit code is `code`; returns that run and when it came. */
/** Probes until liveness exits `code`; `afterMs` counts from `started`, by default the first probe. */
async function probeUntil(socket: string, code: number, withinMs: number, started = performance.now()) {
  const liveness = () => runCli(['liveness', '-s', socket, '--timeout', '2s']);
  const result = await pollFor(liveness, (run) => run.code === code, { withinMs, everyMs: 100 });
  if (result.code !== code) throw new Error(`liveness never exited ${code}: ${result.stderr}`);
  return { result, afterMs: performance.now() - started };
}

describe('a consumer that stops making progress while its event loop keeps turning', () => {
  const MAX_AGE_MS = 1500;

  it('fails liveness with the progress message within maxAgeMs plus a margin', async () => {
    const socket = sandbox.socket;
    const worker = await sandbox.worker(socket, [], {
      script: CONSUMER,
      env: { HS_PROGRESS_MAX_AGE_MS: String(MAX_AGE_MS) },
    });
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);
    worker.send('wedge');
    await worker.nextLine('wedged');
    const { result, afterMs } = await probeUntil(socket, 1, MAX_AGE_MS + 5000);
    expect(result.stderr).toMatch(
      /^unhealthy: liveness failed at .*: consumer: no progress for [\d.]+ s \(max 1\.5 s\)/m,
    );
    // Never before the limit (the last beat came just before "wedged"), and not long after it.
    expect(afterMs).toBeGreaterThan(MAX_AGE_MS - 200);
    expect(afterMs).toBeLessThan(MAX_AGE_MS + 4000);
  });

  it('passes liveness all the while when it has no progress check: the socket alone cannot tell', async () => {
    const socket = sandbox.socket;
    const worker = await sandbox.worker(socket, [], { script: CONSUMER });
    worker.send('wedge');
    await worker.nextLine('wedged');
    await sleep(MAX_AGE_MS + 500);
    const result = await runCli(['liveness', '-s', socket]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^healthy: liveness passed/);
  });
});

describe('event-loop delay', () => {
  it('fails liveness after a synchronous 1.5 s block, with the numbers, and recovers after the window', async () => {
    const socket = sandbox.socket;
    const worker = await sandbox.worker(socket, [], {
      script: CONSUMER,
      env: { HS_EVENT_LOOP: JSON.stringify({ maxDelayMs: 1000, windowMs: 3000 }) },
    });
    expect((await runCli(['liveness', '-s', socket])).code).toBe(0);
    worker.send('block 1500');
    await worker.nextLine('unblocked');
    // The recovery counts from the stall's end, not from after the failing probe below.
    const unblockedAt = performance.now();
    const failed = await runCli(['liveness', '-s', socket, '-v']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/event-loop: event loop delayed 1\.\d s \(p99 [\d.]+ m?s over 3 s\)/);
    const { afterMs } = await probeUntil(socket, 0, 3000 + 5000, unblockedAt);
    // The stall leaves the window between 4/5 of it and all of it later.
    expect(afterMs).toBeGreaterThan(3000 * 0.8 - 500);
  });
});

describe('disposal', () => {
  it('a closed server with every built-in leaves the process free to exit', async () => {
    const script = `
      import net from 'node:net';
      import { checks, createHealthServer } from '@healthsock/server';
      const port = await new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => resolve([s, s.address().port])); });
      const [dependency, tcpPort] = port;
      const consumer = checks.progress({ maxAgeMs: 1000 });
      const loop = checks.eventLoopDelay({ windowMs: 500 });
      const health = createHealthServer({ socketPath: process.argv[1] })
        .addCheck('consumer', consumer, { probes: ['liveness'] })
        .addCheck('event-loop', loop, { probes: ['liveness'] })
        .addCheck('heap', checks.heap())
        .addCheck('broker', checks.tcp({ host: '127.0.0.1', port: tcpPort }));
      consumer.beat();
      await health.listen();
      const reports = [await health.probe('liveness'), await health.probe('readiness')];
      dependency.close();
      await health.close();
      console.log(JSON.stringify({ statuses: reports.map((r) => r.status), measuring: loop.measuring }));
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script, sandbox.socket], {
      env: childEnv(),
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      killAfterMs: 10_000,
    });
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ statuses: ['healthy', 'healthy'], measuring: false });
    expect(result.elapsedMs).toBeLessThan(8000);
  });
});
