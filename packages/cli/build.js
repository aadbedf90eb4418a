// Builds the CLI: one self-contained file per entry point, so that a probe loads a single
// script instead of resolving modules across node_modules at every start.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/**
 * In the executable, full yargs (help, version, usage errors) lives in its own file, dist/yargs.cjs,
 * loaded only when needed: a probe then does not even compile it. The single binary, which can
 * embed only one script, bundles the two back together (scripts/build-binary.sh).
 */
const yargsApart = {
  name: 'yargs-apart',
  setup(context) {
    context.onResolve({ filter: /^yargs\/yargs$/ }, () => ({ path: './yargs.cjs', external: true }));
  },
};

/**
 * Likewise, code that a healthy socket probe never runs lives in files of its own, loaded by a
 * dynamic import() only when needed: the other targets (HTTP, TCP, gRPC, heartbeat file, which
 * also load Node's HTTP, HTTP/2 and TLS modules), the explanation of a socket path that refuses, the
 * --json fitting, and watch mode. A socket probe then does not even compile them. Each is listed here, by its
 * path under src/, and built to dist/<path>.cjs.
 */
const LAZY = [
  'targets/probeHttp',
  'targets/probeTcp',
  'targets/probeFile',
  'targets/probeGrpc',
  'targets/explainSocketPath',
  'format/fitJson',
  'watch/watch',
];
const lazyApart = {
  name: 'lazy-apart',
  setup(context) {
    const src = fileURLToPath(new URL('./src/', import.meta.url));
    context.onResolve({ filter: /^\./ }, ({ path, kind, resolveDir }) => {
      if (kind !== 'dynamic-import') return undefined;
      const name = relative(src, resolve(resolveDir, path)).replace(/\.js$/, '');
      if (!LAZY.includes(name)) return { errors: [{ text: `${name} is imported dynamically but not listed in LAZY` }] };
      return { path: name, namespace: 'lazy' };
    });
    // In a CommonJS bundle an import() of an external file would start Node's ES module loader,
    // which costs a probe several milliseconds; a require() inside a tiny module does not.
    context.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ path }) => ({
      contents: `module.exports = require('./${path}.cjs');`,
      loader: 'js',
    }));
    context.onResolve({ filter: /\.cjs$/, namespace: 'lazy' }, ({ path }) => ({ path, external: true }));
  },
};

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
  build({
    ...shared,
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/bin.cjs',
    format: 'cjs',
    plugins: [yargsApart, lazyApart],
  }),
  ...LAZY.map((name) =>
    build({ ...shared, entryPoints: [`src/${name}.ts`], outfile: `dist/${name}.cjs`, format: 'cjs' }),
  ),
  build({
    ...shared,
    stdin: { contents: "module.exports = require('yargs/yargs');", resolveDir: '.', loader: 'js' },
    outfile: 'dist/yargs.cjs',
    format: 'cjs',
  }),
  build({
    ...shared,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.js',
    format: 'esm',
    // yargs is CommonJS: it requires Node's built-in modules and looks for its
    // locales next to __dirname, which an ES module does not have, so give the bundle both.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { dirname as __pathDirname } from 'node:path';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        'const require = __createRequire(import.meta.url);',
        'const __dirname = __pathDirname(__fileURLToPath(import.meta.url));',
      ].join('\n'),
    },
  }),
  // The same for `require()`, on every Node the package supports.
  build({ ...shared, entryPoints: ['src/index.ts'], outfile: 'dist/index.cjs', format: 'cjs' }),
]);
