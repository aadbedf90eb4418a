/**
 * 4. What each health library costs its host: the time to import it, the heap it retains with
 * 20 checks, its event-loop utilisation under a steady trickle of probes, and the timers and
 * callbacks it runs while idle. healthsock against @godaddy/terminus and lightship.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, fixed, median, table } from '../lib/stats.js';
import { BENCH, WORK, benchEnv, compile, hasHttpTransport, socketDir, startServer } from '../lib/setup.js';
import { httpRequest } from '../load/load.js';
import { LIBRARIES } from './libraries.js';

/**
 * What importing `specifiers` (in order) costs in a fresh Node process, in wall and CPU ms,
 * resolved from bench/ as a worker resolves its dependencies. An empty module is imported
 * first, so that the ES module loader is already up, as it is by the time a worker's entry
 * module imports anything.
 *
 * @param {string[]} specifiers
 */
function importCost(specifiers) {
  const code = `await import(${JSON.stringify(pathToFileURL(join(WORK, 'empty.mjs')).href)});
const cpu = process.cpuUsage(), t0 = process.hrtime.bigint();
${specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join('\n')}
const wall = Number(process.hrtime.bigint() - t0) / 1e6, used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: BENCH,
    env: benchEnv(),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`import of ${specifiers.join(', ')} failed: ${result.stderr}`);
  return /** @type {{ wall: number, cpu: number }} */ (JSON.parse(result.stdout));
}

/** Runs one of the bench/host scripts and parses the JSON line it prints. @param {string[]} args */
function runScript(...args) {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: BENCH, env: benchEnv(), encoding: 'utf8' }));
}

/**
 * @param {{ rounds: number, seconds: number, idleMs: number, compareServer?: string | undefined }} options
 *   compareServer: the entry module of another build of @healthsock/server, whose import is timed too
 */
export async function hostCost({ rounds, seconds, idleMs, compareServer }) {
  const dir = socketDir();
  // A build without the HTTP transport has no "socket and HTTP" row.
  const libraries = Object.fromEntries(
    Object.entries(LIBRARIES).filter(([name]) => name !== 'healthsock-http' || hasHttpTransport()),
  );
  const kib = (/** @type {number} */ bytes) => fixed(bytes / 1024, 0);
  try {
    // Import time, against the import of another empty module: the loader's cost per module.
    writeFileSync(join(WORK, 'empty.mjs'), 'export {};\n');
    writeFileSync(join(WORK, 'empty2.mjs'), 'export {};\n');
    /** @type {Record<string, string[]>} what each row imports */
    const importing = {
      'node:http': ['node:http'],
      empty: [pathToFileURL(join(WORK, 'empty2.mjs')).href],
      ...(compareServer ? { compare: [pathToFileURL(compareServer).href] } : {}),
    };
    const imports = await alternate(
      rounds * 4,
      Object.fromEntries(Object.entries(importing).map(([key, specifiers]) => [key, () => importCost(specifiers)])),
    );
    const ms = (/** @type {string} */ key, /** @type {'wall' | 'cpu'} */ kind) =>
      median((imports[key] ?? []).map((run) => run[kind]));

    // Import, then start with 5 checks until listening: each library in a fresh process.
    const emptyUrl = pathToFileURL(join(WORK, 'empty.mjs')).href;
    const starts = await alternate(
      rounds * 4,
      Object.fromEntries(
        Object.keys(libraries).map((name) => [
          name,
          () =>
            /** @type {{ importMs: number, importCpuMs: number, startMs: number, startCpuMs: number }} */ (
              runScript(join(BENCH, 'host', 'start.js'), name, join(dir, `start-${name}.sock`), emptyUrl)
            ),
        ]),
      ),
    );
    const startCell = (
      /** @type {string} */ name,
      /** @type {'importMs' | 'startMs'} */ wall,
      /** @type {'importCpuMs' | 'startCpuMs'} */ cpu,
    ) =>
      `${fixed(median((starts[name] ?? []).map((run) => run[wall])), 2)} (${fixed(median((starts[name] ?? []).map((run) => run[cpu])), 2)} CPU)`;

    // Retained heap with 20 checks, after forced garbage collection; idle timers and callbacks.
    /** @type {Record<string, {importBytes: number, serverBytes: number}[]>} */
    const heaps = {};
    /** @type {Record<string, {timersHeld: number, callbacksRun: Record<string, number>, cpuMs: number}>} */
    const idle = {};
    for (const name of Object.keys(libraries)) {
      heaps[name] = [];
      for (let i = 0; i < Math.max(3, rounds); i++) {
        heaps[name].push(runScript('--expose-gc', join(BENCH, 'host', 'heap.js'), name, join(dir, `heap-${i}.sock`)));
      }
      idle[name] = runScript(join(BENCH, 'host', 'idle.js'), name, join(dir, 'idle.sock'), String(idleMs));
    }

    // Event-loop utilisation at a steady 100 probes/s, 5 checks per probe.
    const loadgen = compile('load/loadgen.c', 'loadgen', ['-pthread']);
    /** @type {Record<string, {script: string, where: string, request: string, expect: string}>} */
    const eluServers = {
      healthsock: { script: 'healthsock.js', where: join(dir, 'elu.sock'), request: 'readiness\n', expect: '{"v":1' },
      ...(libraries['healthsock-http']
        ? {
            'healthsock-http': {
              script: 'healthsock.js',
              where: 'tcp',
              request: httpRequest('/readyz'),
              expect: 'HTTP/1.1 200',
            },
          }
        : {}),
      terminus: { script: 'terminus.js', where: 'tcp', request: httpRequest('/healthz'), expect: 'HTTP/1.1 200' },
      lightship: { script: 'lightship.js', where: 'tcp', request: httpRequest('/ready'), expect: 'HTTP/1.1 200' },
      'node:http': { script: 'http.js', where: 'tcp', request: httpRequest('/healthz'), expect: 'HTTP/1.1 200' },
    };
    /** @type {Record<string, Awaited<ReturnType<typeof startServer>>>} */
    const started = {};
    /** @type {Record<string, number[]>} */
    let utilisation = {};
    try {
      for (const [name, server] of Object.entries(eluServers))
        started[name] = await startServer(server.script, server.where);
      utilisation = await alternate(
        rounds,
        Object.fromEntries(
          Object.entries(eluServers).map(([name, server]) => [
            name,
            async () => {
              const running = /** @type {Awaited<ReturnType<typeof startServer>>} */ (started[name]);
              await running.elu();
              execFileSync(loadgen, [
                running.address,
                '1',
                String(seconds * 1000),
                server.request,
                server.expect,
                '100',
              ]);
              return (await running.elu()).utilization;
            },
          ]),
        ),
      );
    } finally {
      for (const server of Object.values(started)) await server.stop();
    }
    const elu = (/** @type {string} */ name) => `${fixed(median(utilisation[name] ?? []) * 100, 2)} %`;

    const idleCell = (/** @type {string} */ name) => {
      const result = idle[name];
      if (!result) return '–';
      const runs = Object.entries(result.callbacksRun);
      const total = runs.reduce((sum, [, count]) => sum + count, 0);
      return `${result.timersHeld} timers, ${total} callbacks${runs.length ? ` (${runs.map(([type, count]) => `${type} ×${count}`).join(', ')})` : ''}`;
    };
    const heapCell = (/** @type {string} */ name, /** @type {'importBytes' | 'serverBytes'} */ kind) =>
      kib(median((heaps[name] ?? []).map((heap) => heap[kind])));
    const rows = Object.entries(libraries).map(([name, library]) => [
      library.label,
      startCell(name, 'importMs', 'importCpuMs'),
      startCell(name, 'startMs', 'startCpuMs'),
      heapCell(name, 'importBytes'),
      heapCell(name, 'serverBytes'),
      elu(name),
      idleCell(name),
    ]);
    rows.push([
      'node:http alone',
      `${fixed(ms('node:http', 'wall'), 2)} (${fixed(ms('node:http', 'cpu'), 2)} CPU)`,
      '',
      '',
      '',
      elu('node:http'),
      '',
    ]);
    rows.push([
      'an empty module',
      `${fixed(ms('empty', 'wall'), 2)} (${fixed(ms('empty', 'cpu'), 2)} CPU)`,
      '',
      '',
      '',
      '',
      '',
    ]);
    if (compareServer) {
      rows.push([
        `${compareServer}`,
        `${fixed(ms('compare', 'wall'), 2)} (${fixed(ms('compare', 'cpu'), 2)} CPU)`,
        '',
        '',
        '',
        '',
        '',
      ]);
    }

    const text = [
      `4. What each library costs its host (${rounds} rounds, alternating; medians)`,
      '',
      table(
        [
          'library',
          'import ms',
          'import and start, 5 checks, ms',
          'heap: import KiB',
          'heap: serving 20 checks KiB',
          `ELU at 100 probes/s`,
          `idle ${idleMs / 1000} s after probes: timers held, callbacks run`,
        ],
        rows,
        [0, 6],
      ),
      '',
      'Target: import @healthsock/server ≤ 5 ms (socket only), and the HTTP transport costs nothing unless configured.',
      'Import and start: from the import to listening; the terminus row creates the node:http server it needs.',
      'ELU: event-loop utilisation at a steady 100 probes/s, 5 checks per probe; lightship answers from a flag.',
    ].join('\n');
    return { text, results: { imports, heaps, idle, utilisation } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
