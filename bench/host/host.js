/**
 * 3. What the server costs its host: the time to import it, the heap it retains, its
 * event-loop utilisation under a steady trickle of probes, and proof that it fires no timers
 * while idle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, fixed, median, table } from '../lib/stats.js';
import { BENCH, benchEnv, compile, socketDir, startServer } from '../lib/setup.js';

/**
 * What `import(specifier)` costs in a fresh Node process started in `cwd`, in wall and CPU ms.
 * An empty module is imported first, so that the ES module loader is already up, as it is by
 * the time a worker's entry module imports anything.
 *
 * @param {string} cwd @param {string} specifier
 */
function importCost(cwd, specifier) {
  const code = `await import('./empty.mjs');
const cpu = process.cpuUsage(), t0 = process.hrtime.bigint();
await import(${JSON.stringify(specifier)});
const wall = Number(process.hrtime.bigint() - t0) / 1e6, used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd,
    env: benchEnv(),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`import of ${specifier} failed: ${result.stderr}`);
  return /** @type {{ wall: number, cpu: number }} */ (JSON.parse(result.stdout));
}

/** Runs one of the bench/host scripts and parses the JSON line it prints. @param {string[]} args */
function runScript(...args) {
  return JSON.parse(execFileSync(process.execPath, args, { env: benchEnv(), encoding: 'utf8' }));
}

/**
 * @param {{ app: string, rounds: number, seconds: number, idleMs: number, compareServer?: string | undefined }} options
 *   compareServer: the entry module of another build of @healthsock/server, whose import is timed too
 */
export async function hostCost({ app, rounds, seconds, idleMs, compareServer }) {
  const dir = socketDir();
  const rows = [];
  try {
    // Import time, against the import of another empty module: the loader's cost per module.
    writeFileSync(join(app, 'empty.mjs'), 'export {};\n');
    writeFileSync(join(app, 'empty2.mjs'), 'export {};\n');
    const imports = await alternate(rounds * 4, {
      server: () => importCost(app, '@healthsock/server'),
      empty: () => importCost(app, './empty2.mjs'),
      ...(compareServer ? { compare: () => importCost(app, pathToFileURL(compareServer).href) } : {}),
    });
    const ms = (/** @type {{ wall: number, cpu: number }[]} */ runs, /** @type {'wall' | 'cpu'} */ key) =>
      fixed(median(runs.map((run) => run[key])), 2);
    rows.push([
      'import @healthsock/server',
      `${ms(imports.server ?? [], 'wall')} ms wall, ${ms(imports.server ?? [], 'cpu')} ms CPU`,
      `an empty module: ${ms(imports.empty ?? [], 'wall')} ms wall, ${ms(imports.empty ?? [], 'cpu')} ms CPU; target ≤ 5 ms`,
    ]);
    if (imports.compare) {
      rows.push([
        `import ${compareServer}`,
        `${ms(imports.compare, 'wall')} ms wall, ${ms(imports.compare, 'cpu')} ms CPU`,
        'another build, measured alongside (--compare-server)',
      ]);
    }

    // Retained heap, after forced garbage collection.
    const heaps = [];
    for (let i = 0; i < Math.max(3, rounds); i++) {
      heaps.push(runScript('--expose-gc', join(BENCH, 'host', 'heap.js'), join(dir, `heap-${i}.sock`)));
    }
    const kib = (/** @type {number} */ bytes) => `${fixed(bytes / 1024, 0)} KiB`;
    rows.push([
      'heap retained: listening server, 20 checks',
      kib(median(heaps.map((heap) => heap.serverBytes))),
      `after one probe of each kind; the import itself retains ${kib(median(heaps.map((heap) => heap.importBytes)))}`,
    ]);

    // Event-loop utilisation at a steady 100 probes/s, against node:http at the same rate.
    const loadgen = compile('load/loadgen.c', 'loadgen', ['-pthread']);
    const healthsock = await startServer('healthsock.js', join(dir, 'elu-hs.sock'));
    const http = await startServer('http.js', join(dir, 'elu-http.sock'));
    try {
      const elu = async (
        /** @type {typeof healthsock} */ server,
        /** @type {string} */ socket,
        /** @type {string} */ request,
        /** @type {string} */ expect,
      ) => {
        await server.elu();
        execFileSync(loadgen, [socket, '1', String(seconds * 1000), request, expect, '100']);
        return (await server.elu()).utilization;
      };
      const utilisation = await alternate(rounds, {
        healthsock: () => elu(healthsock, join(dir, 'elu-hs.sock'), 'readiness\n', '{"v":1'),
        http: () =>
          elu(
            http,
            join(dir, 'elu-http.sock'),
            'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
            'HTTP/1.1 200',
          ),
      });
      rows.push([
        'event-loop utilisation at 100 probes/s',
        `${fixed(median(utilisation.healthsock ?? []) * 100, 2)} %`,
        `5 checks per probe; node:http /healthz ${fixed(median(utilisation.http ?? []) * 100, 2)} %`,
      ]);
    } finally {
      await healthsock.stop();
      await http.stop();
    }

    // Idle: no timers held, no callbacks run.
    const idle = runScript(join(BENCH, 'host', 'idle.js'), join(dir, 'idle.sock'), String(idleMs));
    const callbacks = Object.entries(idle.callbacksRun);
    rows.push([
      `idle for ${idleMs / 1000} s after probes (20 checks)`,
      `${idle.timersHeld} timers held, ${callbacks.reduce((sum, [, count]) => sum + count, 0)} callbacks run`,
      callbacks.length === 0
        ? `nothing ran (async_hooks saw no callback); process CPU ${fixed(idle.cpuMs, 2)} ms`
        : `ran: ${callbacks.map(([type, count]) => `${type} ×${count}`).join(', ')}`,
    ]);

    const text = [
      `3. What the server costs its host (${rounds} rounds, alternating; medians)`,
      '',
      table(['measure', 'result', 'context'], rows, 3),
    ].join('\n');
    return { text, results: { imports, heaps, idle } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
