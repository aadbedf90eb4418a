// Builds the server: each public entry point is bundled into one ES module, so that importing the
// package loads two files rather than a tree of fourteen. The main entry point is split: the
// transports that are off unless configured are a chunk of their own that `listen()` loads only
// when one is, and the code it shares with them is the second file. The protocol entry point is
// built apart, whole: shared with it, that code would be split into yet more files to load. Each is also bundled into one CommonJS file, for `require()` on every Node the package
// supports (Node 20 before 20.19 cannot require an ES module). Type declarations come from tsc
// (tsconfig.build.json), copied for CommonJS by scripts/cjs-declarations.js.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const entryPoints = { index: 'src/index.ts', 'protocol/index': 'src/protocol/index.ts' };
// The metrics adapters are built apart and whole too, each with its optional peer left to the
// application: nothing of them, or of prom-client and OpenTelemetry, loads unless imported.
const adapters = { 'prometheus/index': 'src/prometheus/index.ts', 'opentelemetry/index': 'src/opentelemetry/index.ts' };
const peers = ['prom-client', '@opentelemetry/api'];
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await Promise.all([
  build({
    ...shared,
    entryPoints: { index: entryPoints.index },
    outdir: 'dist',
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
  }),
  build({ ...shared, entryPoints: { 'protocol/index': entryPoints['protocol/index'] }, outdir: 'dist', format: 'esm' }),
  // esbuild splits only ES modules, so each CommonJS entry point carries what it uses.
  build({ ...shared, entryPoints, outdir: 'dist', format: 'cjs', outExtension: { '.js': '.cjs' } }),
  build({ ...shared, entryPoints: adapters, outdir: 'dist', format: 'esm', external: peers }),
  build({
    ...shared,
    entryPoints: adapters,
    outdir: 'dist',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: peers,
  }),
]);
