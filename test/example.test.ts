// The worked example, checked the way a cluster would use it: the probe commands written in
// examples/worker/k8s/deployment.yaml, run exactly as written against the example worker, with the
// kubelet's timeoutSeconds rule. Only two things differ from a pod: `healthsock` on the PATH is a
// shim that runs the workspace's build, and HEALTHSOCK_SOCKET and the dependency's address (both
// from the manifest's env) point at a temporary directory and a local TCP listener.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependency, type Dependency } from './helpers/dependency.js';
import { EXAMPLE, MANIFEST, compileExample, copyExample, linkWorkspacePackages } from './helpers/example.js';
import {
  PROBE_KINDS,
  containerEnv,
  readDeployments,
  runExecProbe,
  runExecProbeRepeatedly,
  type Container,
  type Deployment,
  type Probe,
} from './helpers/kubelet.js';
import { CLI_BIN, childEnv, startWorker, tempDir, type Worker } from './helpers/processes.js';

const deployments = readDeployments(MANIFEST);
const deployment = deployments[0] as Deployment;
const pod = deployment.spec.template.spec;
const container = pod.containers[0] as Container;
const probes = {
  startup: container.startupProbe as Probe,
  liveness: container.livenessProbe as Probe,
  readiness: container.readinessProbe as Probe,
};

/** The deadline healthsock gives itself, from a probe command's --timeout / -t, else its default. */
function cliTimeoutMs(command: readonly string[]): number {
  const index = command.findIndex((arg) => arg === '--timeout' || arg === '-t');
  const value = index === -1 ? '800ms' : (command[index + 1] ?? '');
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(value);
  if (!match) throw new Error(`cannot read the timeout ${JSON.stringify(value)}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

describe('examples/worker/k8s/deployment.yaml', () => {
  it('is one Deployment whose selector matches its pods', () => {
    expect(deployments).toHaveLength(1);
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(pod.containers).toHaveLength(1);
  });

  it.each(PROBE_KINDS)('%s runs healthsock with a deadline inside timeoutSeconds', (kind) => {
    const probe = container[kind] as Probe;
    const command = probe.exec?.command ?? [];
    expect(command[0]).toBe('healthsock');
    expect(command[1]).toBe(kind.replace(/Probe$/, ''));
    // healthsock should report its own timeout, which names the socket, before the kubelet kills it.
    expect(probe.timeoutSeconds).toBeGreaterThanOrEqual(1);
    expect(cliTimeoutMs(command)).toBeLessThan((probe.timeoutSeconds ?? 1) * 1000);
    expect(probe.periodSeconds).toBeGreaterThanOrEqual(1);
    expect(probe.failureThreshold).toBeGreaterThanOrEqual(1);
    // The API rejects anything but 1 for liveness and startup.
    if (kind !== 'readinessProbe') expect(probe.successThreshold ?? 1).toBe(1);
  });

  it('gives the startup probe longer to succeed than liveness would tolerate', () => {
    const budget = (probe: Probe) => (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
    expect(budget(probes.startup)).toBeGreaterThan(budget(probes.liveness));
  });

  it('keeps the socket in an emptyDir (or the abstract namespace), so the root filesystem can be read-only', () => {
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    const socket = containerEnv(container).HEALTHSOCK_SOCKET;
    expect(socket).toBeDefined();
    if (socket?.startsWith('@')) return;
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === posix.dirname(socket ?? ''));
    expect(mount, `no volume is mounted at ${posix.dirname(socket ?? '')}`).toBeDefined();
    const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.emptyDir).toBeDefined();
  });

  it('sets resource requests and limits, and runs as a non-root user', () => {
    for (const kind of ['requests', 'limits'] as const) {
      expect(container.resources?.[kind]).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    }
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
  });
});

describe('examples/worker/Dockerfile', () => {
  // Docker cannot run here; these keep the image and the manifest from drifting apart.
  const dockerfile = readFileSync(join(EXAMPLE, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('runs the worker on a supported Node LTS, as the user the manifest runs as', () => {
    expect(runtime).toMatch(/^\nFROM node:(22|24)[-.\w]*\n/);
    expect(runtime).toMatch(new RegExp(`\\nUSER ${pod.securityContext?.runAsUser ?? 'none'}(:\\d+)?\\n`));
    expect(runtime).toContain('CMD ["node", "dist/worker.js"]');
  });

  it('puts healthsock on the PATH and the socket where the manifest mounts its emptyDir', () => {
    expect(runtime).toContain('ENV PATH=/app/node_modules/.bin:$PATH');
    expect(runtime).toContain(`ENV HEALTHSOCK_SOCKET=${containerEnv(container).HEALTHSOCK_SOCKET ?? 'unset'}`);
  });
});

describe('the manifest probe commands against the example worker', () => {
  const dir = tempDir();
  const project = join(dir.path, 'worker');
  const shims = join(dir.path, 'bin');
  const socket = join(dir.path, 'health.sock');
  let dependency: Dependency;
  let worker: Worker | undefined;
  /** The manifest's env, with the socket and the dependency's address substituted. */
  let podEnv: Record<string, string>;
  /** What a probe command runs with: that, plus a PATH on which `healthsock` is the shim. */
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    mkdirSync(project);
    copyExample(project);
    linkWorkspacePackages(project);
    const compiled = compileExample(project);

    // `healthsock` on the PATH, as node_modules/.bin or the native binary would put it in the image.
    mkdirSync(shims);
    writeFileSync(join(shims, 'healthsock'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`);
    chmodSync(join(shims, 'healthsock'), 0o755);

    dependency = await createDependency('down');
    const manifestEnv = containerEnv(container);
    for (const name of ['HEALTHSOCK_SOCKET', 'DEPENDENCY_HOST', 'DEPENDENCY_PORT']) {
      expect(manifestEnv, `the manifest no longer sets ${name}`).toHaveProperty(name);
    }
    podEnv = {
      ...manifestEnv,
      HEALTHSOCK_SOCKET: socket,
      DEPENDENCY_HOST: dependency.host,
      DEPENDENCY_PORT: String(dependency.port),
    };
    env = childEnv({ ...podEnv, PATH: `${shims}:${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
    await compiled;
  }, 60_000);

  afterAll(async () => {
    // A worker left frozen by a failed test would ignore everything but SIGKILL, which kill() sends.
    await worker?.kill();
    await dependency?.down();
    dir.remove();
  });

  const summary = (results: { passed: boolean; timedOut: boolean; output: string }[]) =>
    results.map(({ passed, timedOut, output }) => `${passed ? 'pass' : timedOut ? 'killed' : 'fail'}: ${output}`);

  it('starts the worker with the manifest environment', async () => {
    const started = await startWorker(socket, [], { script: join(project, 'dist/worker.js'), env: podEnv });
    worker = started;
    expect(started.status).toBe(`listening on ${socket}, dependency ${dependency.host}:${dependency.port}`);
  });

  it('startup fails while the dependency is unreachable, and passes once it is reachable', async () => {
    const attempts = Math.min(probes.startup.failureThreshold ?? 3, 3);
    const down = await runExecProbeRepeatedly(probes.startup, env, attempts);
    for (const result of down) {
      expect(result.passed, summary(down).join('\n')).toBe(false);
      expect(result.stderr).toMatch(/^unhealthy: /);
      expect(result.stderr).toContain('dependency');
    }

    await dependency.up();
    const up = await runExecProbe(probes.startup, env);
    expect(up.passed, summary([up])[0]).toBe(true);
  });

  it('liveness keeps passing while the dependency is down: no restart', async () => {
    await dependency.down();
    const results = await runExecProbeRepeatedly(probes.liveness, env, probes.liveness.failureThreshold ?? 3);
    expect(summary(results).filter((line) => !line.startsWith('pass'))).toEqual([]);
  });

  it('readiness fails while the dependency is down, and recovers after it returns', async () => {
    const down = await runExecProbeRepeatedly(probes.readiness, env, probes.readiness.failureThreshold ?? 3);
    for (const result of down) {
      expect(result.passed, summary(down).join('\n')).toBe(false);
      expect(result.stderr).toMatch(/^unhealthy: /);
      expect(result.stderr).toContain('dependency');
    }

    await dependency.up();
    const up = await runExecProbeRepeatedly(probes.readiness, env, probes.readiness.successThreshold ?? 1);
    expect(summary(up).filter((line) => !line.startsWith('pass'))).toEqual([]);
  });

  it('liveness fails while the worker is frozen, and passes again once it runs', async () => {
    const pid = worker?.child.pid as number;
    process.kill(pid, 'SIGSTOP');
    let frozen;
    try {
      frozen = await runExecProbe(probes.liveness, env);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(frozen.passed).toBe(false);
    // Normally healthsock's own deadline ends it first, with a line that says what happened.
    if (!frozen.timedOut) expect(frozen.stderr).toMatch(/^timeout: /);

    const thawed = await runExecProbe(probes.liveness, env);
    expect(thawed.passed, summary([thawed])[0]).toBe(true);
  });

  it('counts a probe that outlives timeoutSeconds as failed, and kills it', async () => {
    // The harness's own rule, shown with a healthsock that never answers.
    const hanging = join(dir.path, 'hanging-bin');
    mkdirSync(hanging);
    writeFileSync(join(hanging, 'healthsock'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(hanging, 'healthsock'), 0o755);
    const result = await runExecProbe(probes.liveness, { ...env, PATH: `${hanging}:${env.PATH ?? ''}` });
    expect(result).toMatchObject({ passed: false, timedOut: true, signal: 'SIGKILL' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual((probes.liveness.timeoutSeconds ?? 1) * 1000 - 50);
    expect(result.elapsedMs).toBeLessThan(10_000);
  });

  it('shuts down on SIGTERM and removes its socket file', async () => {
    expect(existsSync(socket)).toBe(true);
    worker?.child.kill('SIGTERM');
    const exit = await worker?.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
  });
});
