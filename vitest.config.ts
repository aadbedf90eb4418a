import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    restoreMocks: true,
    projects: [
      { extends: true, test: { name: 'server', root: 'packages/server', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', root: 'packages/cli', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', root: 'test', include: ['**/*.test.ts'], testTimeout: 20_000 } },
    ],
  },
});
