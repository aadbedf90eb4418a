import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The end-to-end CLI tests, the same files as in the e2e project, run against the native
// binary (`pnpm test:native` builds it first). Any difference from the Node CLI fails them.
//   e2e-native        build/native/healthsock-linux-x64, or $HEALTHSOCK_NATIVE_BIN (the ASan+UBSan build)
//   e2e-native-arm64  build/native/healthsock-linux-arm64 under qemu-aarch64-static
const root = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const x64 = resolve(process.env.HEALTHSOCK_NATIVE_BIN ?? root('build/native/healthsock-linux-x64'));
const arm64 = root('build/native/healthsock-linux-arm64');

/** The test files that start the CLI, and the native binary's own test. */
const CLI_TESTS = [
  'probe.test.ts',
  'targets.test.ts',
  'targetsOwnServer.test.ts',
  'targetsHardening.test.ts',
  'reliability.test.ts',
  'builtinChecks.test.ts',
  'watch.test.ts',
  'native.test.ts',
];

for (const binary of [x64, arm64]) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/build-native.sh (pnpm build:native)`);
}

export default defineConfig({
  test: {
    restoreMocks: true,
    setupFiles: [root('test/setup/failOnWarnings.ts')],
    projects: [
      {
        extends: true,
        test: {
          name: 'e2e-native',
          root: 'test',
          include: CLI_TESTS,
          testTimeout: 20_000,
          env: { HEALTHSOCK_CLI_UNDER_TEST: x64 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-native-arm64',
          root: 'test',
          include: CLI_TESTS,
          // qemu starts each probe in tens of milliseconds rather than one.
          testTimeout: 40_000,
          env: { HEALTHSOCK_CLI_UNDER_TEST: arm64, HEALTHSOCK_CLI_PREFIX: 'qemu-aarch64-static' },
        },
      },
    ],
  },
});
