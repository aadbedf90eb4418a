// Once per `pnpm test:runtime`: one podman storage and the images every runtime test shares,
// so that each file starts containers at once instead of building. Removed at the end.
//
// When podman cannot run containers, CI (CI=true) fails here with the reason; elsewhere the
// suite is skipped with one line saying why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT } from '../helpers/pack.js';
import { podmanIn, podmanProblem, removePodmanStorage, type Podman } from '../helpers/podman.js';
import { importNodeBase, prepareWorkerContext, workerDockerfile } from '../helpers/runtimeImages.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why podman cannot run here; unset when it can. */
    podmanProblem: string | undefined;
    /** Where the shared storage lives: pass it to podmanIn. */
    podmanDir: string;
    /** The stand-in for node:24-bookworm-slim (Node 24, busybox, the node user). */
    nodeBase: string;
    /** The example worker, built by the runtime stage of its Dockerfile (see workerDockerfile). */
    workerImage: string;
  }
}

export const NODE_BASE = 'localhost/healthsock-test/node:24';
export const WORKER_IMAGE = 'localhost/healthsock-test/example-worker:latest';

export async function setup(project: TestProject) {
  const dir = mkdtempSync('/tmp/hs-podman-');
  const podman = podmanIn(dir);
  project.provide('podmanDir', dir);
  project.provide('nodeBase', NODE_BASE);
  project.provide('workerImage', WORKER_IMAGE);

  let problem: string | undefined;
  try {
    problem = (await podmanProblem(podman)) ?? (await importBase(podman, dir));
    if (!problem) await buildWorker(podman, dir);
  } catch (error) {
    // Not podman's absence but a broken build: that fails the run everywhere.
    await removePodmanStorage(podman).catch(() => undefined);
    throw error;
  }
  if (problem) {
    await removePodmanStorage(podman).catch(() => undefined);
    if (process.env.CI) throw new Error(`the runtime tests must run in CI, but podman cannot run them: ${problem}`);
    console.warn(`test:runtime: skipped, podman cannot run here: ${problem.split('\n')[0]}`);
  }
  project.provide('podmanProblem', problem);
  return problem ? undefined : () => removePodmanStorage(podman);
}

/** Imports the base and checks that a container runs; returns why not if it cannot. */
async function importBase(podman: Podman, dir: string): Promise<string | undefined> {
  if (!existsSync('/bin/busybox')) return 'busybox-static is not installed (the images are made with its /bin/busybox)';
  // Node 24 from the npm registry (cached in build/node), as in node:24-bookworm-slim.
  const fetched = execFileSync(join(ROOT, 'scripts/fetch-node.sh'), ['x64'], { encoding: 'utf8' }).trim();
  await importNodeBase(podman, join(dir, 'node-base'), join(fetched, 'bin/node'), NODE_BASE);
  return podmanProblem(podman, NODE_BASE);
}

/** Builds the example worker's image from its Dockerfile's runtime stage. */
async function buildWorker(podman: Podman, dir: string): Promise<void> {
  const context = join(dir, 'worker');
  await prepareWorkerContext(context);
  writeFileSync(join(context, 'Dockerfile'), workerDockerfile(NODE_BASE, context));
  // Docker's format, because the OCI image format has no HEALTHCHECK.
  await podman.ok(['build', '--format', 'docker', '--tag', WORKER_IMAGE, context], { killAfterMs: 120_000 });
}
