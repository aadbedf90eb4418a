// Builds the CLI: one self-contained file per entry point, so that a probe loads a single
// script instead of resolving modules across node_modules at every start.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/**
 * `yargs/helpers` exports yargs's own parser, yargs-parser, but its entry points load all of
 * yargs to do so. The CLI reads the usual command line with that parser alone and loads the
 * rest of yargs only for help, version and usage errors (see src/parseArgs.ts), so here it
 * resolves to the yargs-parser that yargs itself depends on: one copy, shared with yargs.
 */
const yargsParserAlone = {
  name: 'yargs-parser-alone',
  setup(context) {
    context.onResolve({ filter: /^yargs\/helpers$/ }, async ({ resolveDir }) => {
      const yargs = await context.resolve('yargs/package.json', { kind: 'require-call', resolveDir });
      const parser = await context.resolve('yargs-parser', { kind: 'require-call', resolveDir: dirname(yargs.path) });
      if (parser.errors.length > 0) return { errors: parser.errors };
      return { path: 'yargs/helpers', namespace: 'yargs-helpers', pluginData: parser.path };
    });
    context.onLoad({ filter: /.*/, namespace: 'yargs-helpers' }, ({ pluginData: path }) => ({
      contents: `module.exports = { Parser: require(${JSON.stringify(path)}) };`,
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

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
 * Likewise, the targets other than the socket (HTTP, TCP, heartbeat file) each live in their own
 * file, dist/targets/<name>.cjs, loaded by src/targets/probeTarget.ts only when such a target is
 * probed: a socket probe never compiles them, nor loads Node's HTTP and TLS modules.
 */
const LAZY_TARGETS = ['probeHttp', 'probeTcp', 'probeFile'];
const targetsApart = {
  name: 'targets-apart',
  setup(context) {
    const filter = new RegExp(`^\\./(${LAZY_TARGETS.join('|')})\\.js$`);
    // Each becomes a tiny module that require()s the separate file when first imported: in a
    // CommonJS bundle an import() of an external file would start Node's ES module loader,
    // which costs a probe several milliseconds.
    context.onResolve({ filter }, ({ path }) => ({ path: path.slice(2, -3), namespace: 'lazy-target' }));
    context.onLoad({ filter: /.*/, namespace: 'lazy-target' }, ({ path }) => ({
      contents: `module.exports = require('./targets/${path}.cjs');`,
      loader: 'js',
    }));
    context.onResolve({ filter: /^\.\/targets\/.*\.cjs$/ }, ({ path }) => ({ path, external: true }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __HEALTHSOCK_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [yargsParserAlone],
};

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await Promise.all([
  // CommonJS for the executable: it loads faster than an ES module graph.
  build({
    ...shared,
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/bin.cjs',
    format: 'cjs',
    plugins: [yargsApart, targetsApart, ...shared.plugins],
  }),
  ...LAZY_TARGETS.map((name) =>
    build({ ...shared, entryPoints: [`src/targets/${name}.ts`], outfile: `dist/targets/${name}.cjs`, format: 'cjs' }),
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
    // yargs and its parser are CommonJS: they require Node's built-in modules and look for their
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
