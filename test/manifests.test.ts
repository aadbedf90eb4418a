// The probes of the systems healthsock replaces, as their manifests write them, run by our runner
// of kubelet's rules (test/helpers/kubelet.ts) against a real worker's HTTP endpoints, TCP
// gate and gRPC service, on this machine's non-loopback address as kubelet would reach the pod's IP. podman
// converts only exec liveness probes, so these rules are what checks httpGet and tcpSocket.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runGrpcProbe, runHttpGetProbe, runTcpSocketProbe, type Container, type Probe } from './helpers/kubelet.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollFor } from './helpers/time.js';

const sandbox = useSandbox();

/** A container's probes from a manifest excerpt, with the worker's ports filled in. */
function container(yaml: string, ports: { http: number; tcp: number }): Container {
  return parse(yaml.replaceAll('HTTP_PORT', String(ports.http)).replaceAll('TCP_PORT', String(ports.tcp))) as Container;
}

/** Starts a worker with HTTP endpoints and a TCP gate for `gated`, and returns it with its ports. */
async function workerWithTransports(gated: 'liveness' | 'readiness' = 'liveness') {
  const worker = await sandbox.worker(
    sandbox.socket,
    [
      { name: 'database', probes: ['startup', 'readiness'], behaviour: 'pass' },
      { name: 'loop', probes: ['liveness'], behaviour: 'pass' },
    ],
    {
      env: {
        HS_OPTIONS: JSON.stringify({ http: { port: 0 }, tcp: [{ port: 0, probe: gated, intervalMs: 100 }] }),
      },
    },
  );
  expect(worker.status).toBe('listening');
  const reported = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)) as {
    http: number;
    tcp: number[];
  };
  return { worker, ports: { http: reported.http, tcp: reported.tcp[0] as number } };
}

/** Waits (up to a wide bound) until a probe gives `passed`, as a gate follows its probe per interval. */
async function eventually(probe: () => Promise<{ passed: boolean; output: string }>, passed: boolean) {
  const last = await pollFor(probe, (result) => result.passed === passed, { everyMs: 50 });
  expect(last.passed, last.output).toBe(passed);
}

describe('manifests of the systems healthsock replaces, by kubelet’s rules', () => {
  it('ASP.NET Core style: startupProbe /health/startup, livenessProbe /healthz, readinessProbe /ready', async () => {
    const { worker, ports } = await workerWithTransports();
    const spec = container(
      `
name: api
image: api
startupProbe:
  httpGet: { path: /health/startup, port: HTTP_PORT }
  periodSeconds: 10
  failureThreshold: 30
livenessProbe:
  httpGet: { path: /healthz, port: HTTP_PORT }
readinessProbe:
  httpGet: { path: /ready, port: HTTP_PORT }
`,
      ports,
    );
    const probe = (kind: 'startupProbe' | 'livenessProbe' | 'readinessProbe') =>
      runHttpGetProbe(spec[kind] as Probe, { container: spec });

    for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      const result = await probe(kind);
      expect(result.passed, `${kind}: ${result.output}`).toBe(true);
    }

    // The database goes away: readiness fails with 503, liveness stays dumb and passes.
    worker.send('set database fail');
    await worker.nextLine('set');
    const ready = await probe('readinessProbe');
    expect(ready.passed).toBe(false);
    expect(ready.output).toMatch(/: 503, body: /);
    expect((await probe('livenessProbe')).passed).toBe(true);
  });

  it('Go style: one path, /health, told apart by an X-Probe header', async () => {
    const { worker, ports } = await workerWithTransports();
    const spec = container(
      `
name: api
image: api
livenessProbe:
  httpGet: { path: /health, port: HTTP_PORT, httpHeaders: [{ name: X-Probe, value: liveness }] }
readinessProbe:
  httpGet: { path: /health, port: HTTP_PORT, httpHeaders: [{ name: X-Probe, value: readiness }] }
`,
      ports,
    );
    worker.send('set database fail');
    await worker.nextLine('set');
    const liveness = await runHttpGetProbe(spec.livenessProbe as Probe);
    const readiness = await runHttpGetProbe(spec.readinessProbe as Probe);
    expect(liveness.passed, liveness.output).toBe(true);
    expect(readiness.passed, readiness.output).toBe(false);
  });

  it('.NET worker style: a tcpSocket liveness probe passes while liveness passes, and fails once it does not', async () => {
    const { worker, ports } = await workerWithTransports();
    const spec = container(
      `
name: worker
image: worker
livenessProbe:
  tcpSocket: { port: TCP_PORT }
  periodSeconds: 10
`,
      ports,
    );
    const probe = () => runTcpSocketProbe(spec.livenessProbe as Probe);
    await eventually(probe, true);

    // The gate closes its listener, so the kernel refuses the handshake: the probe really fails.
    worker.send('set loop fail');
    await worker.nextLine('set');
    await eventually(probe, false);

    worker.send('set loop pass');
    await worker.nextLine('set');
    await eventually(probe, true);
  });

  it('the README’s and docs/kubernetes.md’s httpGet and tcpSocket manifest, as written but for its ports', async () => {
    const [block, ...others] = ['../README.md', '../docs/kubernetes.md'].map((file) =>
      [...readFileSync(new URL(file, import.meta.url), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((match) => match[1] ?? '')
        .find((yaml) => yaml.includes('httpGet:') && yaml.includes('tcpSocket:')),
    );
    expect(block, 'the README shows no manifest with httpGet and tcpSocket probes').toBeDefined();
    // docs/kubernetes.md explains the same manifest, so the one run below proves both.
    for (const other of others) expect(other).toBe(block);
    const written = parse(block ?? '') as Container;
    const httpPort = written.livenessProbe?.httpGet?.port;
    const tcpPort = written.readinessProbe?.tcpSocket?.port;
    const { worker, ports } = await workerWithTransports('readiness');
    const spec = container(
      (block ?? '')
        .replaceAll(`port: ${String(httpPort)}`, 'port: HTTP_PORT')
        .replaceAll(`port: ${String(tcpPort)}`, 'port: TCP_PORT'),
      ports,
    );
    const run = (probe: Probe) => (probe.httpGet ? runHttpGetProbe(probe) : runTcpSocketProbe(probe));

    for (const kind of ['startupProbe', 'livenessProbe'] as const) {
      const result = await run(spec[kind] as Probe);
      expect(result.passed, `${kind}: ${result.output}`).toBe(true);
    }
    await eventually(() => run(spec.readinessProbe as Probe), true);

    // The dependency fails: the readiness gate closes, liveness keeps passing.
    worker.send('set database fail');
    await worker.nextLine('set');
    await eventually(() => run(spec.readinessProbe as Probe), false);
    expect((await run(spec.livenessProbe as Probe)).passed).toBe(true);
  });
});

/** A worker whose gRPC service listens on every address, as kubelet needs; its port. */
async function workerWithGrpc() {
  const worker = await sandbox.worker(
    sandbox.socket,
    [
      { name: 'database', probes: ['startup', 'readiness'], behaviour: 'pass' },
      { name: 'loop', probes: ['liveness'], behaviour: 'pass' },
    ],
    { env: { HS_OPTIONS: JSON.stringify({ grpc: { port: 0 } }) } },
  );
  expect(worker.status).toBe('listening');
  const { grpc } = JSON.parse((await worker.nextLine('ports')).slice('ports '.length)) as { grpc: number };
  return { worker, port: grpc };
}

/** The probes of a manifest excerpt with its one gRPC port replaced by the worker's. */
function withPort(yaml: string, port: number): Container {
  const written = parse(yaml) as Container;
  const given = written.livenessProbe?.grpc?.port;
  return parse(yaml.replaceAll(`port: ${String(given)}`, `port: ${port}`)) as Container;
}

async function passesAndFails(spec: Container, worker: Awaited<ReturnType<typeof workerWithGrpc>>['worker']) {
  for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
    if (!spec[kind]) continue;
    const result = await runGrpcProbe(spec[kind]);
    expect(result.passed, `${kind}: ${result.output}`).toBe(true);
  }
  // The dependency fails: readiness fails, liveness keeps passing, and startup, once passed, stays passed.
  worker.send('set database fail');
  await worker.nextLine('set');
  const readiness = await runGrpcProbe(spec.readinessProbe as Probe);
  expect(readiness).toMatchObject({ passed: false, output: 'service unhealthy: NOT_SERVING' });
  expect((await runGrpcProbe(spec.livenessProbe as Probe)).passed).toBe(true);
}

describe('grpc manifests, by kubelet’s rules', () => {
  it('Kubernetes’ own service: liveness / service: readiness manifest works as written', async () => {
    const { worker, port } = await workerWithGrpc();
    // The shape of the example in the Kubernetes documentation ("Define a gRPC liveness probe"),
    // with its convention of naming the probe in `service`.
    const spec = withPort(
      `
name: etcd
image: registry.k8s.io/etcd:3.5.1-0
ports:
  - containerPort: 2379
livenessProbe:
  grpc:
    port: 2379
    service: liveness
  initialDelaySeconds: 10
readinessProbe:
  grpc:
    port: 2379
    service: readiness
  initialDelaySeconds: 10
`,
      port,
    );
    await passesAndFails(spec, worker);
    // Without a service, the probe asks the empty service: liveness.
    expect((await runGrpcProbe({ grpc: { port } })).passed).toBe(true);
  });

  it('docs/kubernetes.md’s grpc manifest, as written but for its port', async () => {
    for (const file of ['../docs/kubernetes.md']) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      const block = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((match) => match[1] ?? '')
        .find((yaml) => yaml.includes('grpc:'));
      expect(block, `${file} shows no grpc manifest`).toBeDefined();
      const { worker, port } = await workerWithGrpc();
      await passesAndFails(withPort(block ?? '', port), worker);
      await worker.kill();
    }
  });
});
