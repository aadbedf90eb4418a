// The queue examples' manifests, Dockerfiles and package files, kept from drifting apart: what
// the manifest sets is what the worker reads, the grace period covers the drain, the image runs
// as the manifest's user with the socket where the manifest mounts it. (test/brokers runs the
// workers themselves against real brokers, and the manifests' probe commands as written.)
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROBE_KINDS, readDeployments, type Container, type Deployment, type Probe } from './helpers/kubelet.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLES = [
  { name: 'rabbitmq-worker', url: 'AMQP_URL', clients: ['amqplib'] },
  { name: 'bullmq-worker', url: 'REDIS_URL', clients: ['bullmq', 'ioredis'] },
];

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

describe.each(EXAMPLES)('examples/$name', ({ name, url, clients }) => {
  const dir = join(ROOT, 'examples', name);
  const deployments = readDeployments(join(dir, 'k8s/deployment.yaml'));
  const deployment = deployments[0] as Deployment & {
    spec: { template: { spec: { terminationGracePeriodSeconds?: number } } };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0] as Container;
  const env = (container.env ?? []) as EnvEntry[];
  const literal = (key: string) => env.find((entry) => entry.name === key)?.value;
  const source = readFileSync(join(dir, 'src/worker.ts'), 'utf8');

  it('is one Deployment whose selector matches its pods, its three probes running healthsock within timeoutSeconds', () => {
    expect(deployments).toHaveLength(1);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    for (const kind of PROBE_KINDS) {
      const probe = container[kind] as Probe;
      const command = probe.exec?.command ?? [];
      expect(command.slice(0, 2)).toEqual(['healthsock', kind.replace(/Probe$/, '')]);
      const timeout = command[command.indexOf('--timeout') + 1] ?? '';
      const ms = Number(/^(\d+)s$/.exec(timeout)?.[1]) * 1000;
      expect(ms).toBeLessThan((probe.timeoutSeconds ?? 1) * 1000);
      if (kind !== 'readinessProbe') expect(probe.successThreshold ?? 1).toBe(1);
    }
  });

  it('sets only variables the worker reads, and takes the broker URL from a Secret', () => {
    for (const entry of env) {
      if (entry.name === 'HEALTHSOCK_SOCKET') continue;
      expect(source, `${entry.name} is set in the manifest but never read`).toMatch(
        new RegExp(`process\\.env\\.${entry.name}\\b|\\('${entry.name}'`),
      );
    }
    expect(env.find((entry) => entry.name === url)?.valueFrom?.secretKeyRef).toBeDefined();
  });

  it('gives the drain its time: terminationGracePeriodSeconds covers MAX_JOB_MS plus DRAIN_DELAY_MS', () => {
    const maxJobMs = Number(literal('MAX_JOB_MS'));
    const drainDelayMs = Number(literal('DRAIN_DELAY_MS') ?? 0);
    expect(maxJobMs).toBeGreaterThan(0);
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThanOrEqual(maxJobMs + drainDelayMs);
  });

  it('keeps the socket in an emptyDir, on a read-only root filesystem, as a non-root user', () => {
    const socket = literal('HEALTHSOCK_SOCKET') ?? '';
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === posix.dirname(socket));
    expect(pod.volumes?.find((volume) => volume.name === mount?.name)?.emptyDir).toBeDefined();
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
  });

  it("builds an image that runs the worker as the manifest's user, its HEALTHCHECK on liveness", () => {
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^\nFROM node:(22|24)[-.\w]*\n/);
    expect(runtime).toMatch(new RegExp(`\\nUSER ${pod.securityContext?.runAsUser ?? 'none'}(:\\d+)?\\n`));
    expect(runtime).toContain(`ENV HEALTHSOCK_SOCKET=${literal('HEALTHSOCK_SOCKET') ?? 'unset'}`);
    expect(runtime).toMatch(/\nHEALTHCHECK .*CMD \["healthsock", "liveness"/);
    expect(runtime).toContain('CMD ["node", "dist/worker.js"]');
  });

  it('depends on its broker client, which @healthsock/server does not', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const server = parse(readFileSync(join(ROOT, 'packages/server/package.json'), 'utf8')) as Record<string, unknown>;
    for (const client of clients) {
      expect(manifest.dependencies).toHaveProperty(client);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
        expect((server[field] ?? {}) as Record<string, string>).not.toHaveProperty(client);
      }
    }
  });
});
