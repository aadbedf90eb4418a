// Builds examples/worker outside the repository, as a newcomer who copies the folder would:
// its own package.json, tsconfig.json and sources, and @healthsock/* in its own node_modules.
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES, ROOT } from './pack.js';
import { childEnv, run } from './processes.js';

export const EXAMPLE = fileURLToPath(new URL('../../examples/worker/', import.meta.url));
export const MANIFEST = join(EXAMPLE, 'k8s/deployment.yaml');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPES_NODE = join(ROOT, 'node_modules/@types/node');

/**
 * Copies the example's project files into `into`. Its devDependencies (TypeScript and Node's
 * types) are left out of the copied package.json: {@link compileExample} brings the workspace's
 * own, so that installing the example needs nothing from the registry. `example` is the folder of
 * another example, e.g. examples/rabbitmq-worker; default examples/worker.
 */
export function copyExample(into: string, example = EXAMPLE): void {
  for (const entry of ['tsconfig.json', 'src']) cpSync(join(example, entry), join(into, entry), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.devDependencies;
  writeFileSync(join(into, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Puts the workspace's builds of @healthsock/server and @healthsock/cli into `project`'s node_modules. */
export function linkWorkspacePackages(project: string): void {
  mkdirSync(join(project, 'node_modules/@healthsock'), { recursive: true });
  symlinkSync(PACKAGES.server, join(project, 'node_modules/@healthsock/server'), 'dir');
  symlinkSync(PACKAGES.cli, join(project, 'node_modules/@healthsock/cli'), 'dir');
}

/** Compiles the example in `project` with the workspace's TypeScript, into `project`/dist. */
export async function compileExample(project: string): Promise<void> {
  const types = join(project, 'node_modules/@types/node');
  if (!existsSync(types)) {
    mkdirSync(dirname(types), { recursive: true });
    symlinkSync(TYPES_NODE, types, 'dir');
  }
  const result = await run(process.execPath, [TSC, '-p', join(project, 'tsconfig.json')], {
    env: childEnv(),
    killAfterMs: 60_000,
  });
  if (result.code !== 0) throw new Error(`the example does not compile:\n${result.stdout}${result.stderr}`);
}
