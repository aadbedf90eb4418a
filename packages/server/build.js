// Builds the server: each public entry point is bundled into one ES module (code they share goes
// into a chunk), so that importing the package loads two or three files rather than a tree of
// fourteen. Type declarations come from tsc (tsconfig.build.json).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', 'protocol/index': 'src/protocol/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
