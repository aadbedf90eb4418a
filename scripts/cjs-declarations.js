#!/usr/bin/env node
// Gives a package's CommonJS build its own declarations: every dist/**/*.d.ts is copied to a
// .d.cts next to it, with its relative imports pointing at the .cjs files. In a "type": "module"
// package a .d.ts describes an ES module, so TypeScript users who `require()` the package (and
// @arethetypeswrong/cli) need .d.cts files that describe the CommonJS files they really load.
//
//   node scripts/cjs-declarations.js <dist folder>
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node scripts/cjs-declarations.js <dist folder>');
  process.exit(1);
}

// `from './x.js'`, `import('./x.js')` and `export * from '../y/index.js'`: relative specifiers only.
const RELATIVE_JS = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g;

let count = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(join(dist, file), 'utf8');
  writeFileSync(join(dist, file.replace(/\.d\.ts$/, '.d.cts')), text.replace(RELATIVE_JS, '$1$2$3.cjs$2'));
  count += 1;
}
if (count === 0) {
  console.error(`cjs-declarations: no .d.ts files in ${dist}; run tsc first`);
  process.exit(1);
}
