import { defineConfig } from 'vitest/config';

// `pnpm test:runtime`: the tests that run the example under podman (test/runtime). Separate
// from `pnpm test` because they need podman and build images; CI runs both.
// `pnpm measure:runtime` runs the measurements (*.measure.ts) with the same setup instead.
export default defineConfig({
  test: {
    root: 'test/runtime',
    include: [process.env.HEALTHSOCK_MEASURE ? '**/*.measure.ts' : '**/*.test.ts'],
    globalSetup: ['./setup.ts'],
    // One podman storage, two cores: containers from several files at once would only slow each other.
    fileParallelism: false,
    testTimeout: process.env.HEALTHSOCK_MEASURE ? 600_000 : 120_000,
    hookTimeout: 180_000,
  },
});
