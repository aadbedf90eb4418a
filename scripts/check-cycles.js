#!/usr/bin/env node
// Fails on any import cycle among a package's TypeScript sources. Every relative import counts as an
// edge: static, dynamic and type-only alike, because a type-only cycle still ties two modules
// together for the reader and becomes a runtime cycle as soon as one type import turns into a value.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error('usage: check-cycles.js <src dir>...');
  process.exit(2);
}

function sourcesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// Sources import each other by their emitted name (`./x.js`); the edge goes to `./x.ts`.
function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate));
}

function importsOf(file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => resolveImport(file, fileName)).filter(Boolean);
}

// Tarjan's strongly connected components: every component of more than one module, or a module
// importing itself, is a cycle.
function cyclesIn(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.reverse());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

let failed = false;
for (const root of roots) {
  const dir = resolve(root);
  const graph = new Map(sourcesUnder(dir).map((file) => [file, importsOf(file)]));
  const cycles = cyclesIn(graph);
  for (const cycle of cycles) {
    failed = true;
    console.error(`import cycle in ${root}: ${cycle.map((file) => relative(dir, file)).join(' <-> ')}`);
  }
  if (cycles.length === 0) console.log(`${root}: ${graph.size} modules, no import cycles`);
}
process.exit(failed ? 1 : 0);
