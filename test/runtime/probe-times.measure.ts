// How long a healthy probe takes under a real runtime: `podman healthcheck run` and
// `podman exec`, for the Node CLI (node_modules/.bin, as the example image has it) and for the
// native binary, with `true` as the floor that the runtime alone costs. Run by
// `pnpm measure:runtime`; it prints medians and never judges them (docs/kubernetes.md quotes them).
//
// Every variant runs ROUNDS times, interleaved (A B C A B C ...), against one idle example
// worker. "wall" is what the caller of podman waits, from spawn to exit; "check" is podman's
// own Start-to-End for the health check, which is what its timeout is measured against.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inspectContainer, podmanIn, runDetached, waitForLog } from '../helpers/podman.js';
import { binaryCopyLine, ensureBinary } from '../helpers/runtimeImages.js';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const problem = inject('podmanProblem');
const dir = inject('podmanDir');
const podman = podmanIn(dir);
const run = `measure-${process.pid}`;
const IMAGE = 'localhost/healthsock-test/worker-with-binary:latest';
/** The binary's place in the image is the example's; node_modules/.bin comes first on the PATH. */
let binaryPath = '/usr/local/bin/healthsock';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

describe.skipIf(problem)('healthy probe times under podman', () => {
  const variants: Record<string, string[]> = {};

  beforeAll(async () => {
    const binary = await ensureBinary();
    const context = join(dir, `${run}-context`);
    mkdirSync(context);
    copyFileSync(binary, join(context, 'healthsock-linux-x64'));
    const copy = binaryCopyLine();
    binaryPath = copy.split(' ').at(-1) ?? binaryPath;
    writeFileSync(join(context, 'Dockerfile'), `FROM ${inject('workerImage')}\nUSER 0\n${copy}\nUSER 1000:1000\n`);
    await podman.ok(['build', '--format', 'docker', '--tag', IMAGE, context], { killAfterMs: 120_000 });
    variants['node CLI'] = ['healthsock', 'liveness'];
    variants['native binary'] = [binaryPath, 'liveness'];
    variants['true (runtime only)'] = ['true'];
    for (const [index, command] of Object.values(variants).entries()) {
      const name = `${run}-${index}`;
      await runDetached(podman, name, IMAGE, { network: 'none', options: ['--health-cmd', JSON.stringify(command)] });
      await waitForLog(podman, name, 'listening on');
    }
  });

  afterAll(async () => {
    await podman.exec(['rm', '--force', '--time', '0', ...Object.keys(variants).map((_, index) => `${run}-${index}`)]);
  });

  it(`takes the median of ${ROUNDS} healthy probes per variant`, async () => {
    const samples = new Map<string, { healthcheck: number[]; check: number[]; exec: number[] }>();
    for (const label of Object.keys(variants)) samples.set(label, { healthcheck: [], check: [], exec: [] });
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, [label, command]] of Object.entries(variants).entries()) {
        const name = `${run}-${index}`;
        const sample = samples.get(label) as { healthcheck: number[]; check: number[]; exec: number[] };
        const checked = await podman.exec(['healthcheck', 'run', name]);
        expect(checked.code, checked.stderr).toBe(0);
        sample.healthcheck.push(checked.elapsedMs);
        const entry = (await inspectContainer(podman, name)).health.Log?.at(-1);
        sample.check.push(Date.parse(entry?.End ?? '') - Date.parse(entry?.Start ?? ''));
        const executed = await podman.exec(['exec', name, ...command]);
        expect(executed.code, executed.stderr).toBe(0);
        sample.exec.push(executed.elapsedMs);
      }
    }
    const rows = [...samples].map(([label, sample]) => ({
      probe: label,
      'healthcheck run, wall (ms)': Math.round(median(sample.healthcheck)),
      'healthcheck run, check (ms)': Math.round(median(sample.check)),
      'healthcheck run, max (ms)': Math.round(Math.max(...sample.healthcheck)),
      'exec, wall (ms)': Math.round(median(sample.exec)),
      'exec, max (ms)': Math.round(Math.max(...sample.exec)),
    }));
    console.log(`healthy probe times under podman, median of ${ROUNDS}:`);
    console.table(rows);
    expect(rows).toHaveLength(3);
  });

  it('times a probe of a frozen worker, which ends with healthsock’s own timeout line', async () => {
    // The failing case that timeoutSeconds must hold: the CLI's whole deadline plus the runtime's
    // cost. The example's old pairing, --timeout 800ms in timeoutSeconds: 1, is measured here.
    const rounds = Math.max(3, Math.round(ROUNDS / 4));
    const frozen = `${run}-0`;
    const { pid } = await inspectContainer(podman, frozen);
    process.kill(pid, 'SIGSTOP');
    const rows = [];
    try {
      for (const [label, command] of Object.entries(variants).slice(0, 2)) {
        const times = [];
        for (let round = 0; round < rounds; round += 1) {
          const result = await podman.exec(['exec', frozen, ...command, '--timeout', '800ms']);
          expect(result.stderr).toMatch(/^timeout: /);
          times.push(result.elapsedMs);
        }
        rows.push({
          probe: label,
          'exec --timeout 800ms, wall (ms)': Math.round(median(times)),
          'max (ms)': Math.round(Math.max(...times)),
        });
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    console.log(`a frozen worker's probe under podman exec, median of ${rounds}:`);
    console.table(rows);
  });
});
