import { expect } from 'vitest';
import { freezeUntilRestarted, runHealthCheckUntilPassing, waitForLog, type Podman } from './podman.js';

/**
 * Freezes the container's worker (see freezeUntilRestarted) and expects podman to restart it by the
 * `retries`th failed check and not before; each failure must be healthsock's own `timeout:` line
 * (`ownTimeout`) or, on a machine so busy that starting the probe ate the margin, podman's kill at
 * the check's timeout, and at least one healthsock's. Then the new process serves the socket again:
 * resolves with the health check that passed.
 */
export async function expectRestartedWhenFrozen(podman: Podman, name: string, retries: number, ownTimeout: RegExp) {
  const { before, after, failures } = await freezeUntilRestarted(podman, name, retries + 1);
  // Not restarted before the allowed failures were used up, and restarted by the last one.
  expect(failures).toHaveLength(retries - 1);
  expect(after, 'podman did not restart the frozen worker').not.toBe(before);
  expect(after).toBeGreaterThan(0);
  const ownLines = failures.filter((failure) => failure.code === 1 && ownTimeout.test(failure.entry?.Output ?? ''));
  for (const failure of failures) {
    if (ownLines.includes(failure)) continue;
    expect(failure.output, `neither healthsock's timeout nor podman's: ${failure.entry?.Output}`).toMatch(
      /exceeded timeout/,
    );
  }
  expect(ownLines.length, failures.map((failure) => failure.output).join('\n')).toBeGreaterThanOrEqual(1);

  await waitForLog(podman, name, 'listening on /run/healthsock/health.sock', 2);
  const healthy = await runHealthCheckUntilPassing(podman, name);
  expect(healthy.code, healthy.output).toBe(0);
  return healthy;
}
