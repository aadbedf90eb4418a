// examples/worker/k8s/deployment.yaml under `podman kube play`, which turns the livenessProbe
// into a health check that restarts the container: a runtime nobody on this project wrote
// decides when the worker is restarted.
//
// The test plays a temporary copy with only the changes podman needs (checked below):
//   - the image is the locally built example worker;
//   - one replica, because podman shares an emptyDir between replicas;
//   - a sidecar container, because podman cannot restart the only container of a pod
//     ("cannot get namespace path unless container <infra> is running"). The sidecar is also the
//     dependency: busybox httpd on 127.0.0.1 in the pod, so DEPENDENCY_HOST/PORT point at it
//     instead of the cluster's API server, which does not exist here.
// podman ignores startupProbe and readinessProbe; test/example.test.ts runs those with our own
// runner of kubelet's rules. As in healthcheck.test.ts, `podman healthcheck run` stands in for
// the timer that systemd would drive.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { MANIFEST } from '../helpers/example.js';
import { readDeployments, type Container, type Deployment, type Probe } from '../helpers/kubelet.js';
import {
  inspectContainer,
  podmanIn,
  runHealthCheck,
  runHealthCheckUntilPassing,
  waitForLog,
} from '../helpers/podman.js';
import { expectRestartedWhenFrozen } from '../helpers/expectRestartedWhenFrozen.js';

const problem = inject('podmanProblem');
const podman = podmanIn(inject('podmanDir'));
const DEPENDENCY_PORT = '8089';
const START_DEPENDENCY = `httpd -p 127.0.0.1:${DEPENDENCY_PORT} -h /tmp`;

/** The manifest with podman's changes, and the changes undone again (to prove they are the only ones). */
function podmanCopy(original: Deployment): { playable: Deployment; undone: Deployment } {
  const playable = structuredClone(original) as Deployment & { spec: { replicas?: number } };
  const pod = playable.spec.template.spec;
  const worker = pod.containers[0] as Container;
  worker.image = inject('workerImage');
  playable.spec.replicas = 1;
  for (const variable of worker.env ?? []) {
    if (variable.name === 'DEPENDENCY_HOST') variable.value = '127.0.0.1';
    if (variable.name === 'DEPENDENCY_PORT') variable.value = DEPENDENCY_PORT;
  }
  pod.containers.push({
    name: 'dependency',
    image: inject('nodeBase'),
    command: ['sh', '-c', `${START_DEPENDENCY} && exec sleep 86400`],
  } as Container);

  const undone = structuredClone(playable) as typeof playable;
  const again = undone.spec.template.spec.containers;
  again.pop();
  const originalWorker = original.spec.template.spec.containers[0] as Container;
  (again[0] as Container).image = originalWorker.image;
  (again[0] as Container).env = originalWorker.env as NonNullable<Container['env']>;
  undone.spec.replicas = (original as typeof playable).spec.replicas as number;
  return { playable, undone };
}

describe.skipIf(problem)('examples/worker/k8s/deployment.yaml under podman kube play', () => {
  const original = readDeployments(MANIFEST)[0] as Deployment;
  const liveness = (original.spec.template.spec.containers[0] as Container).livenessProbe as Probe;
  const failureThreshold = liveness.failureThreshold ?? 3;
  let worker: string;
  let sidecar: string;
  let manifest: string;

  beforeAll(async () => {
    const { playable, undone } = podmanCopy(original);
    expect(undone).toEqual(original);
    manifest = join(inject('podmanDir'), 'deployment.yaml');
    writeFileSync(manifest, stringify(playable));
    await podman.ok(['kube', 'play', manifest], { killAfterMs: 120_000 });
    const names = (await podman.ok(['ps', '--all', '--format', '{{.Names}}'])).split('\n');
    worker = names.find((name) => name.endsWith('-worker')) ?? 'no worker container';
    sidecar = names.find((name) => name.endsWith('-dependency')) ?? 'no dependency container';
    await waitForLog(podman, worker, 'listening on /run/healthsock/health.sock, dependency 127.0.0.1:8089');
  });

  afterAll(async () => {
    if (manifest) await podman.exec(['kube', 'down', manifest]);
  });

  it('turns the livenessProbe into a health check that restarts the container', async () => {
    const healthcheck = JSON.parse(await podman.ok(['inspect', '--format', '{{json .Config.Healthcheck}}', worker]));
    const onFailure = await podman.ok(['inspect', '--format', '{{.Config.HealthcheckOnFailureAction}}', worker]);
    // podman joins the exec command's words into one shell command.
    expect(healthcheck.Test.join(' ')).toContain((liveness.exec?.command ?? []).join(' '));
    expect(healthcheck.Retries).toBe(failureThreshold);
    expect(healthcheck.Timeout).toBe((liveness.timeoutSeconds ?? 1) * 1e9);
    expect(onFailure.trim()).toBe('restart');

    const healthy = await runHealthCheckUntilPassing(podman, worker);
    expect(healthy.code, healthy.output).toBe(0);
    expect(healthy.health.Log?.at(-1)?.Output).toMatch(/^healthy: liveness passed at \/run\/healthsock\/health\.sock/);
  });

  it('does not restart the worker while its dependency is down', async () => {
    const before = await inspectContainer(podman, worker);
    await podman.ok(['exec', sidecar, 'killall', 'httpd']);
    const readiness = await podman.exec(['exec', worker, 'healthsock', 'readiness']);
    expect(readiness.code).toBe(1);
    expect(readiness.stderr).toMatch(/^unhealthy: readiness failed at \/run\/healthsock\/health\.sock: dependency: /);

    for (let attempt = 0; attempt <= failureThreshold; attempt += 1) {
      const result = await runHealthCheck(podman, worker);
      expect(result.code, result.output).toBe(0);
      expect(result.pid).toBe(before.pid);
    }

    await podman.ok(['exec', sidecar, 'sh', '-c', START_DEPENDENCY]);
    const ready = await podman.exec(['exec', worker, 'healthsock', 'readiness']);
    expect(ready.code, ready.stderr).toBe(0);
  });

  it('restarts the worker when its event loop is frozen, after failures that show healthsock’s own line', async () => {
    // healthsock gave up within timeoutSeconds, so the failure says why (not podman's
    // "healthcheck command exceeded timeout"): the manifest's margin holds under a real runtime.
    await expectRestartedWhenFrozen(
      podman,
      worker,
      failureThreshold,
      /^timeout: no reply from \/run\/healthsock\/health\.sock within /,
    );
  });
});
