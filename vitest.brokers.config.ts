import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `pnpm test:brokers`: the queue examples against real brokers (test/brokers), each file starting
// its own private RabbitMQ or Redis. Separate from `pnpm test` because they need the Debian
// packages rabbitmq-server and redis-server; CI installs them and runs both. Under CI=true a
// missing broker fails the suite instead of skipping it.
export default defineConfig({
  test: {
    root: 'test/brokers',
    include: ['**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('test/setup/failOnWarnings.ts', import.meta.url))],
    // Two cores: a broker and several workers per file already fill them.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
