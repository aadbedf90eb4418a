// Just enough of the kubelet to run a manifest's exec probes: the command exactly as written,
// in the container's environment, killed at timeoutSeconds, which then counts as a failure.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { run, type RunResult } from './processes.js';

export type ProbeKind = 'startupProbe' | 'livenessProbe' | 'readinessProbe';
export const PROBE_KINDS: readonly ProbeKind[] = ['startupProbe', 'livenessProbe', 'readinessProbe'];

export interface Probe {
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}

export interface PodSpec {
  containers: Container[];
  volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

export interface Deployment {
  apiVersion: string;
  kind: 'Deployment';
  metadata: { name: string };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

/** The Deployments in a multi-document YAML file. */
export function readDeployments(path: string): Deployment[] {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'));
  return documents.flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map(String).join('; ')}`);
    const value = document.toJS() as { kind?: string } | null;
    return value?.kind === 'Deployment' ? [value as Deployment] : [];
  });
}

/** A container's `env` as a record; only literal values, as `valueFrom` needs a cluster. */
export function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of container.env ?? []) {
    if (value === undefined) throw new Error(`env ${name} has no literal value`);
    env[name] = value;
  }
  return env;
}

export interface ProbeResult extends RunResult {
  passed: boolean;
  /** The process was still running at timeoutSeconds and was killed. */
  timedOut: boolean;
  /** What the pod's events would show: stdout and stderr, up to 10 KiB. */
  output: string;
}

/** Runs an exec probe once, with the kubelet's rules: exit 0 passes; anything else, or a timeout, fails. */
export async function runExecProbe(probe: Probe, env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  const command = probe.exec?.command;
  if (!command || command.length === 0) throw new Error('not an exec probe');
  const [file, ...args] = command as [string, ...string[]];
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const result = await run(file, args, { env, killAfterMs: timeoutMs });
  const timedOut = result.signal === 'SIGKILL';
  return {
    ...result,
    timedOut,
    passed: result.code === 0 && !timedOut,
    output: (result.stdout + result.stderr).slice(0, 10 * 1024),
  };
}

/** Runs a probe `times` times in a row, as consecutive periods would, without waiting out the period. */
export async function runExecProbeRepeatedly(probe: Probe, env: NodeJS.ProcessEnv, times: number) {
  const results: ProbeResult[] = [];
  for (let attempt = 0; attempt < times; attempt += 1) results.push(await runExecProbe(probe, env));
  return results;
}
