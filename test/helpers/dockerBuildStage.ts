// Runs the first (build) stage of a Dockerfile without a container runtime: each COPY copies from
// the build context into a fresh folder that stands in for the stage's WORKDIR, and each RUN runs
// there with bash, in order, as written. It proves that what the stage copies is enough for what
// it runs (say, that `npm ci` finds its lock file); the image itself is the runtime tests' job.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { run } from './processes.js';

/** A source with a wildcard that matches nothing is skipped, as BuildKit does; a plain one must exist. */
function sources(context: string, pattern: string): string[] {
  if (!pattern.includes('*')) {
    if (!existsSync(join(context, pattern))) throw new Error(`COPY ${pattern}: not in the build context`);
    return [pattern];
  }
  if (pattern.includes('/')) throw new Error(`COPY ${pattern}: wildcards in folders are not supported here`);
  const regex = new RegExp(`^${pattern.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}$`);
  return readdirSync(context).filter((name) => regex.test(name));
}

/**
 * Runs the build stage of `dockerfile` with `context` as the build context, in `workdir` (which
 * must not exist yet). `env` is the environment of its RUN lines, e.g. PATH with a Node on it.
 */
export async function runDockerBuildStage(
  dockerfile: string,
  context: string,
  workdir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ copied: string[]; ran: string[] }> {
  const lines = readFileSync(dockerfile, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const from = lines.findIndex((line) => /^FROM /i.test(line));
  const next = lines.findIndex((line, index) => index > from && /^FROM /i.test(line));
  const stage = lines.slice(from + 1, next === -1 ? undefined : next);
  mkdirSync(workdir);
  const copied: string[] = [];
  const ran: string[] = [];
  for (const line of stage) {
    const [instruction = '', ...words] = line.split(/\s+/);
    switch (instruction.toUpperCase()) {
      case 'COPY': {
        const args = words.filter((word) => !word.startsWith('--'));
        const destination = args.pop() ?? '';
        for (const source of args.flatMap((pattern) => sources(context, pattern))) {
          // Docker's rules: a folder's contents go into the destination; a file goes into a
          // destination that ends with a slash, or becomes the destination.
          const into =
            destination.endsWith('/') && !statSync(join(context, source)).isDirectory()
              ? join(workdir, destination, basename(source))
              : join(workdir, destination);
          cpSync(join(context, source), into, { recursive: true });
          copied.push(source);
        }
        break;
      }
      case 'RUN': {
        const command = line.slice(instruction.length).trim();
        const result = await run('bash', ['-c', command], { cwd: workdir, env, killAfterMs: 120_000 });
        if (result.code !== 0) throw new Error(`RUN ${command} failed:\n${result.stdout}${result.stderr}`);
        ran.push(command);
        break;
      }
      case 'WORKDIR':
      case 'ENV':
      case 'ARG':
        break;
      default:
        throw new Error(`the build stage has ${instruction}, which this runner does not know`);
    }
  }
  return { copied, ran };
}
