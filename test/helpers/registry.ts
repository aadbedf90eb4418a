// A real npm registry on 127.0.0.1 for the install tests: Verdaccio in a child process, with its
// storage and users in a temporary folder. It serves only @healthsock/*; everything else a test
// project installs comes from the registry npm is configured with, as for any user.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './processes.js';

const SERVER = fileURLToPath(new URL('../fixtures/registry.js', import.meta.url));

export interface Registry {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  /** The environment that lets npm publish to it: a token for this registry only. */
  publishEnv: Record<string, string>;
  /** The `.npmrc` line that sends the @healthsock scope, and only it, to this registry. */
  scopeLine: string;
  stop(): Promise<void>;
}

/** Starts Verdaccio with its storage under `dir`, and signs up a user who may publish. */
export async function startRegistry(dir: string): Promise<Registry> {
  const config = join(dir, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
      '    max_users: 1',
      'uplinks: {}',
      'packages:',
      "  '@healthsock/*':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: json, level: warn }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [SERVER, config], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited before it listened:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    // What `npm adduser` does: the registry answers with a token.
    const response = await fetch(`${url}-/user/org.couchdb.user:publisher`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'publisher', password: `pw-${Math.random().toString(36).slice(2)}` }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token) throw new Error(`Verdaccio refused to sign up a user: HTTP ${response.status}`);
    return {
      url,
      publishEnv: { [`npm_config_//127.0.0.1:${port}/:_authToken`]: token },
      scopeLine: `@healthsock:registry=${url}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
