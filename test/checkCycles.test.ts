import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';

const SCRIPT = new URL('../scripts/check-cycles.js', import.meta.url).pathname;
let dir = '';

/** Writes `files` into a fresh directory and runs the check over it. */
async function checkSources(files: Record<string, string>) {
  dir = await mkdtemp(join(tmpdir(), 'hs-cycles-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return run('node', [SCRIPT, dir]);
}

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scripts/check-cycles.js (pnpm lint:cycles)', () => {
  it('passes sources whose imports form no cycle', async () => {
    const { code, stdout } = await checkSources({
      'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'b.ts': "import type { C } from './sub/c.js';\nexport const b: C = 1;\n",
      'sub/c.ts': 'export type C = number;\n',
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/3 modules, no import cycles/);
  });

  it('fails on a cycle, naming its modules, even when one edge is a type-only or dynamic import', async () => {
    const result = await checkSources({
      'main.ts': "import type { Io } from './watch/watch.js';\nexport type { Io };\n",
      'watch/watch.ts': "export type Io = 1;\nexport const load = () => import('../main.js');\n",
      'clean.ts': 'export const clean = 1;\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/import cycle in .*: main\.ts <-> watch\/watch\.ts/);
    expect(result.stderr).not.toMatch(/clean/);
  });
});
