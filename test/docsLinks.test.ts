// Every relative link in the README and docs/ leads somewhere: the file or folder exists, and an
// anchor names a heading of the page it points into (a folder's README.md).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, linkTargets, readDoc } from './helpers/markdown.js';
import { ROOT } from './helpers/pack.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(join(ROOT, 'examples')).map((name) => `examples/${name}/README.md`),
].filter((path) => existsSync(join(ROOT, path)));

describe('the links of the README and docs/', () => {
  it.each(PAGES)('%s: every relative link and anchor resolves', (page) => {
    const broken: string[] = [];
    for (const target of linkTargets(readDoc(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
      const [path = '', anchor] = target.split('#');
      let file = path === '' ? page : normalize(join(dirname(page), path));
      if (!existsSync(join(ROOT, file))) {
        broken.push(`${target}: no ${file}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(join(ROOT, file)).isDirectory()) file = join(file, 'README.md');
      if (!headingAnchors(readDoc(file)).has(decodeURIComponent(anchor)))
        broken.push(`${target}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });
});
