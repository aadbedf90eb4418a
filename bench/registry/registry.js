/**
 * 8. What one evaluation of a probe costs the registry: bench/registry/evaluate.js, in fresh
 * processes, with the bench's 5 no-op checks, with and without a caller's budget. No socket and
 * no other process, so that the registry's own cost shows through the noise of a loaded machine.
 * With --compare-server, another build alternates with the workspace's.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { alternate, fixed, median, ratio, table } from '../lib/stats.js';
import { BENCH, ROOT, benchEnv } from '../lib/setup.js';

const BUDGETS = ['750', 'none'];

/**
 * @param {{ rounds: number, compareServer?: string | undefined }} options
 *   compareServer: the entry module of another build of @healthsock/server
 */
export async function registryCost({ rounds, compareServer }) {
  /** @type {Record<string, string>} */
  const builds = { current: join(ROOT, 'packages/server/dist/index.js') };
  if (compareServer) builds.other = compareServer;
  const evaluate = (/** @type {string} */ entry, /** @type {string} */ budget) =>
    /** @type {{ cpuUs: number, wallUs: number }} */ (
      JSON.parse(
        execFileSync(process.execPath, [join(BENCH, 'registry/evaluate.js'), entry, budget], {
          env: benchEnv(),
          encoding: 'utf8',
        }),
      )
    );
  const body = [];
  for (const budget of BUDGETS) {
    const samples = await alternate(
      rounds,
      Object.fromEntries(Object.entries(builds).map(([name, entry]) => [name, () => evaluate(entry, budget)])),
    );
    const cpu = (/** @type {string} */ name) => median((samples[name] ?? []).map((run) => run.cpuUs));
    const wall = (/** @type {string} */ name) => median((samples[name] ?? []).map((run) => run.wallUs));
    body.push([
      budget === 'none' ? 'none (`readiness`)' : `${budget} ms`,
      fixed(cpu('current')),
      fixed(wall('current')),
      ...(compareServer ? [fixed(cpu('other')), ratio(cpu('current'), cpu('other'))] : []),
    ]);
  }
  const header = [
    'budget',
    'CPU µs',
    'wall µs',
    ...(compareServer ? [`CPU µs, ${compareServer}`, 'CPU this/other'] : []),
  ];
  return {
    text: [
      `8. One evaluation of 5 no-op checks in the registry, without a socket (${rounds} fresh processes each, alternating; medians)`,
      '',
      table(header, body),
    ].join('\n'),
  };
}
