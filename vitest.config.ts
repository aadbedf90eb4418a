import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    restoreMocks: true,
    setupFiles: [fileURLToPath(new URL('test/setup/failOnWarnings.ts', import.meta.url))],
    projects: [
      { extends: true, test: { name: 'server', root: 'packages/server', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', root: 'packages/cli', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        // test/runtime needs podman: `pnpm test:runtime` runs it (vitest.runtime.config.ts); test/brokers
        // needs RabbitMQ and Redis: `pnpm test:brokers` (vitest.brokers.config.ts).
        test: {
          name: 'e2e',
          root: 'test',
          include: ['**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'runtime/**', 'brokers/**'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
