import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { sleep } from './time.js';

/** Why a real Prometheus cannot run here, or undefined when it can. */
export function prometheusProblem(): string | undefined {
  for (const command of ['prometheus', 'promtool']) {
    if (spawnSync(command, ['--version']).status !== 0)
      return `${command} is not installed (Debian: apt-get install prometheus)`;
  }
  return undefined;
}

export interface Prometheus {
  /** Evaluates an instant PromQL query and returns its vector: labels and value of each series. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** Evaluates a PromQL query over a range, every `stepSeconds`, and returns each series' values. */
  queryRange(
    promql: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<{ metric: Record<string, string>; values: number[] }[]>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's Prometheus on a private port of 127.0.0.1 with its data in `dir`, scraping
 * `target` (host:port) as job `worker` every `scrapeMs`, and resolves once it is ready.
 */
export async function startPrometheus(dir: string, target: string, scrapeMs: number): Promise<Prometheus> {
  const config = join(dir, 'prometheus.yml');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${scrapeMs}ms`,
      `  scrape_timeout: ${scrapeMs}ms`,
      'scrape_configs:',
      '  - job_name: worker',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const api = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    const body = (await response.json()) as { status: string; data: { result: unknown[] }; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data.result;
  };
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || tries > 200) {
      await stop();
      throw new Error(`Prometheus did not become ready: ${log.slice(-1000)}`);
    }
    await sleep(50);
  }
  return {
    async query(promql) {
      const result = (await api(`/api/v1/query?query=${encodeURIComponent(promql)}`)) as {
        metric: Record<string, string>;
        value: [number, string];
      }[];
      return result.map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
    },
    async queryRange(promql, start, end, step) {
      const result = (await api(
        `/api/v1/query_range?query=${encodeURIComponent(promql)}&start=${start}&end=${end}&step=${step}`,
      )) as { metric: Record<string, string>; values: [number, string][] }[];
      return result.map(({ metric, values }) => ({ metric, values: values.map(([, value]) => Number(value)) }));
    },
    stop,
  };
}
