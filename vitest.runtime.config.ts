import { defineConfig } from 'vitest/config';

// `pnpm test:runtime`: the tests that run the example under podman (test/runtime). Separate
// from `pnpm test` because they need podman and build images; CI runs both.
export default defineConfig({
  test: {
    root: 'test/runtime',
    include: ['**/*.test.ts'],
    globalSetup: ['./setup.ts'],
    // One podman storage, two cores: containers from several files at once would only slow each other.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
