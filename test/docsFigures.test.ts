// Every cost figure has one source: the "Figures" table of docs/performance.md, written from the
// bench's output. A page that quotes a measurement must quote a value of that table, with its
// text, so that one figure cannot read 23.7 ms in one place and ~30 ms in another.
import { describe, expect, it } from 'vitest';
import { prose, readDoc, tableUnder } from './helpers/markdown.js';

const PAGES = [
  'README.md',
  'docs/server.md',
  'docs/cli.md',
  'docs/kubernetes.md',
  'docs/binary.md',
  'docs/development.md',
  'docs/metrics.md',
  ...['server', 'cli', 'cli-linux-x64', 'cli-linux-arm64'].map((name) => `packages/${name}/README.md`),
  ...['worker', 'rabbitmq-worker', 'bullmq-worker'].map((name) => `examples/${name}/README.md`),
];

/**
 * A number with a unit of time, size, ratio or CPU: what a cost figure looks like. Ranges
 * (`47–73 µs`) and lists (`423 ms, 871 ms`) are read as one figure when the table holds them so.
 */
const FIGURE =
  /(?<![\w.])\d[\d,]*(?:\.\d+)?(?:[–-]\d[\d,]*(?:\.\d+)?)?\s?(?:ns|µs|ms|s|KiB|MiB|×|cores?|(?:thousand|million|M) instructions|of a core)(?![\w])/g;

/**
 * Numbers with those units that are not measurements: defaults, settings, limits and examples the
 * pages explain (a probe's timeout, kubelet's output limit, the development machine's cores).
 */
const NOT_MEASUREMENTS = new Set([
  // seconds and milliseconds of timeouts, periods, ages and windows
  '1 s',
  '2 s',
  '3 s',
  '5 s',
  '10 s',
  '30 s',
  '60 s',
  '74 s',
  '95 s',
  '8 to 10 s',
  '5 ms',
  '50 ms',
  '100 ms',
  '500 ms',
  '800 ms',
  '1000 ms',
  '2000 ms',
  '5000 ms',
  '190-260 ms',
  // sizes that are limits
  '4 KiB',
  '10 KiB',
  // the machine the figures come from
  '2 cores',
]);

/** Every figure's text in docs/performance.md's table, and each part of a listed pair. */
function tableValues(): Set<string> {
  const values = new Set<string>();
  for (const [, value = ''] of tableUnder(readDoc('docs/performance.md'), 'Figures')) {
    values.add(value);
    for (const part of value.split(', ')) values.add(part);
  }
  return values;
}

/** The figures a page quotes in its prose, whitespace made single spaces. */
function quoted(page: string): string[] {
  const text = prose(readDoc(page)).replace(/\s+/g, ' ');
  // "8 to 10 s" is one span of seconds, not a figure of 10 s.
  const spans = [...text.matchAll(/\d+ to \d+ s\b/g)].map((match) => match[0]);
  return [...spans, ...(text.replace(/\d+ to \d+ s\b/g, '').match(FIGURE) ?? [])];
}

describe('docs/performance.md’s figures table', () => {
  it('has a value for each row, and rows for the figures the issue found quoted three ways', () => {
    const rows = tableUnder(readDoc('docs/performance.md'), 'Figures');
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row[1], row.join(' | ')).toMatch(/\d/);
    const values = tableValues();
    for (const value of ['23.7 ms', '40.5 MiB', '1.01×', '1.2 MiB']) expect(values).toContain(value);
  });

  it('holds every figure each page quotes', () => {
    const values = tableValues();
    const strays: string[] = [];
    for (const page of PAGES) {
      for (const figure of quoted(page)) {
        if (!values.has(figure) && !NOT_MEASUREMENTS.has(figure)) strays.push(`${page}: ${figure}`);
      }
    }
    expect(strays, 'quote these from docs/performance.md#figures, or add them there from the bench').toEqual([]);
  });

  it('is quoted: the README gives the Node CLI’s and the native command’s cost from it', () => {
    const readme = quoted('README.md');
    for (const figure of ['23.7 ms', '40.5 MiB', '1.01×', '1.2 MiB']) expect(readme).toContain(figure);
  });
});
