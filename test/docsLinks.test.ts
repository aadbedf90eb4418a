// Every relative link in the README, docs/ and the examples' and packages' READMEs leads somewhere:
// the file or folder exists, and an anchor names a heading of the page it points into (a folder's
// README.md). Links to this repository on GitHub (the packages' READMEs, read on npm) count as
// relative ones.
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
  ...readdirSync(join(ROOT, 'packages')).map((name) => `packages/${name}/README.md`),
].filter((path) => existsSync(join(ROOT, path)));

describe('the links of the READMEs and docs/', () => {
  it.each(PAGES)('%s: every relative link and anchor resolves', (page) => {
    const broken: string[] = [];
    for (const link of linkTargets(readDoc(page))) {
      const target = onGitHub(link);
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // other sites, mailto: and the like
      const [path = '', anchor] = target.split('#');
      let file = link !== target ? path : path === '' ? page : normalize(join(dirname(page), path));
      if (!existsSync(join(ROOT, file))) {
        broken.push(`${link}: no ${file}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(join(ROOT, file)).isDirectory()) file = join(file, 'README.md');
      if (anchor === 'readme') continue; // GitHub's anchor for the README it shows
      if (!headingAnchors(readDoc(file)).has(decodeURIComponent(anchor))) broken.push(`${link}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });
});

/** A link into this repository on GitHub, as the path from the root (`README.md` for the repository itself). */
function onGitHub(link: string): string {
  const match = /^https:\/\/github\.com\/healthsock\/healthsock(?:\/(?:blob|tree)\/main\/([^#]*))?(#.*)?$/.exec(link);
  if (!match) return link;
  return `${match[1] || 'README.md'}${match[2] ?? ''}`;
}
