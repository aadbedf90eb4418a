// Reading the project's Markdown the way a reader sees it: prose without code, tables as rows,
// links with their targets, headings as GitHub anchors them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './pack.js';

/** The text of a file of the repository, by its path from the root. */
export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The fenced code blocks (```lang … ```) of a page, with their language. */
export function codeBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^ *```(\w*)\n([\s\S]*?)^ *```/gm)].map((match) => ({
    lang: match[1] ?? '',
    body: match[2] ?? '',
  }));
}

/** The prose of a page: fenced blocks and inline code removed, so that commands and settings shown as code are left out. */
export function prose(markdown: string): string {
  return markdown.replace(/^ *```[\s\S]*?^ *```/gm, '').replace(/`[^`]*`/g, '');
}

/** The body rows of the first table under the heading `## <heading>`, cell by cell. */
export function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`no heading "## ${heading}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  const lines = markdown.slice(start, end === -1 ? undefined : end).split('\n');
  const rows = lines.filter((line) => line.startsWith('|'));
  return rows
    .slice(2) // the header and the separator
    .map((row) =>
      row
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^ *```[\s\S]*?^ *```/gm, '').replace(/`/g, '');
  for (const match of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = (match[1] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${String(count)}`);
  }
  return anchors;
}

/** Every inline link's target, `[text](target)`, outside code. */
export function linkTargets(markdown: string): string[] {
  const text = markdown.replace(/^ *```[\s\S]*?^ *```/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
}
