// Builds the CLI: one self-contained file per entry point, so that a probe loads a single
// script instead of resolving modules across node_modules at every start.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __HEALTHSOCK_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await Promise.all([
  // CommonJS for the executable: it loads faster than an ES module graph.
  build({ ...shared, entryPoints: ['src/bin.ts'], outfile: 'dist/bin.cjs', format: 'cjs' }),
  build({ ...shared, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', format: 'esm' }),
]);
