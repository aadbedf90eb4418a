// Every callback a worker gives the server (checks, change and error listeners, the logger,
// redact, onShutdown) throws or rejects with hostile values, in a real worker process: the
// worker never crashes, and every probe over the socket and the HTTP port stays answered.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBES } from '@healthsock/server/protocol';
import { afterEach, expect, it } from 'vitest';
import { exchange } from './helpers/exchange.js';
import { httpGet } from './helpers/httpGet.js';
import { startWorker, tempDir, type Worker } from './helpers/processes.js';
import { pollFor, sleep } from './helpers/time.js';

const FIXTURE = fileURLToPath(new URL('fixtures/hostileCallbacks.js', import.meta.url));
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 120);
const PATHS = { liveness: '/livez', readiness: '/readyz', startup: '/startupz' } as const;

let worker: Worker | undefined;
const dir = tempDir();
afterEach(async () => {
  await worker?.kill();
  worker = undefined;
});

it.each([1, 2, 3])(
  'stays up and answers every probe while every callback throws and rejects hostile values (seed %i)',
  async (seed) => {
    const socket = join(dir.path, `hostile-${seed}.sock`);
    const started = await startWorker(socket, [], {
      script: FIXTURE,
      // The warnings are the expected last resort here; printing them would only fill the pipe.
      nodeArgs: ['--no-warnings'],
      env: { HS_HEARTBEAT: join(dir.path, `heartbeat-${seed}`), HS_SEED: String(seed) },
    });
    worker = started;
    expect(started.status).toBe('listening');
    const port = Number((await started.nextLine('ports')).split(' ')[1]);

    for (let round = 0; round < ROUNDS; round++) {
      const probe = PROBES[round % PROBES.length] ?? 'liveness';
      if (round % 2 === 0) {
        const { reply } = await exchange(socket, `${JSON.stringify({ probe, timeoutMs: 2000 })}\n`);
        const parsed = JSON.parse(reply) as { probe?: string; status?: string; error?: unknown };
        expect(parsed.error, reply).toBeUndefined();
        expect(parsed.probe).toBe(probe);
        expect(['healthy', 'unhealthy']).toContain(parsed.status);
      } else {
        const { status } = await httpGet(`http://127.0.0.1:${port}${PATHS[probe]}`);
        expect([200, 503]).toContain(status);
      }
    }

    const readStats = async () => {
      started.send('stats');
      return (await started.nextLine('stats')).split(' ').map(Number);
    };
    // The heartbeat writes, and so meets the directory, only on a tick that falls on a passing
    // round; on a fast machine every tick of the probe loop can fall on a failing one. Once the
    // probes stop, the heartbeat's own evaluations alternate, so a write comes within two ticks.
    const [, calls, errorCalls, heartbeatFaults] = await pollFor(readStats, ([, , , faults]) => (faults ?? 0) > 0);
    // The callbacks did run, the error listeners heard faults, the heartbeat's among them. How
    // many calls a round makes depends on how the heartbeat's ticks fall between the probes, so
    // the bound is one per probe, well under the two or more that each round makes on average.
    expect(calls).toBeGreaterThan(ROUNDS);
    expect(errorCalls).toBeGreaterThan(0);
    expect(heartbeatFaults).toBeGreaterThan(0);

    // A shutdown whose onShutdown rejects leaves the process to the worker, still running.
    started.child.kill('SIGUSR2');
    await started.nextLine('called onShutdown');
    await sleep(100);
    started.send('stats');
    await started.nextLine('stats');
    started.send('exit');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.stderr()).toBe('');
  },
  60_000,
);
