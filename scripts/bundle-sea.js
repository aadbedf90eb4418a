#!/usr/bin/env node
// Bundles the CLI's npm executable (dist/bin.cjs) and the files it loads only when needed (full
// yargs for help, version and usage errors; the other targets' probes) back into the one script
// that a single executable embeds.
//
//   node scripts/bundle-sea.js <packages/cli/dist/bin.cjs> <out.cjs>
//
// Full yargs goes in as a string that is compiled only when help, the version or a usage error
// needs it: as code, its 200 kB would be pre-parsed at every start of the binary, about 3 ms of
// every probe, while a string literal is only scanned.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/bundle-sea.js <packages/cli/dist/bin.cjs> <out.cjs>');
  process.exit(1);
}
// esbuild is the CLI package's build tool; the repository root does not depend on it.
const { build } = createRequire(new URL('../packages/cli/package.json', import.meta.url))('esbuild');

/** @type {import('esbuild').Plugin} */
const yargsAsString = {
  name: 'yargs-as-string',
  setup(context) {
    context.onResolve({ filter: /^\.\/yargs\.cjs$/ }, ({ resolveDir }) => ({
      path: join(resolveDir, 'yargs.cjs'),
      namespace: 'compiled-when-needed',
    }));
    context.onLoad({ filter: /.*/, namespace: 'compiled-when-needed' }, ({ path }) => ({
      contents: `const source = ${JSON.stringify(readFileSync(path, 'utf8'))};
const compiled = require('node:vm').compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: ${JSON.stringify(path)} });
compiled(module.exports, require, module, __filename, __dirname);`,
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

await build({
  entryPoints: [input],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
  outfile: output,
  plugins: [yargsAsString],
});
