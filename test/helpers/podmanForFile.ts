import { inject } from 'vitest';
import { podmanIn, type Podman } from './podman.js';

/**
 * What a test/runtime file gets from the global set-up (test/runtime/setup.ts): why podman cannot
 * run here (unset when it can), the shared storage's folder and a podman on it, and `run`, a
 * prefix for this file's container and folder names that no other run shares.
 */
export function podmanForFile(prefix: string): {
  problem: string | undefined;
  dir: string;
  podman: Podman;
  run: string;
} {
  const dir = inject('podmanDir');
  return {
    problem: inject('podmanProblem'),
    dir,
    podman: podmanIn(dir),
    run: `${prefix}-${process.pid}-${Date.now().toString(36)}`,
  };
}
