// Just enough of the kubelet to run a manifest's probes. exec: the command exactly as written,
// in the container's environment, killed at timeoutSeconds, which then counts as a failure.
// httpGet, tcpSocket and grpc: kubelet's rules from pkg/probe/http, pkg/probe/tcp and
// pkg/probe/grpc (see runHttpGetProbe, runTcpSocketProbe and runGrpcProbe), aimed at the pod's
// IP rather than at loopback.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import grpc from '@grpc/grpc-js';
import { parseAllDocuments } from 'yaml';
import { HEALTH_SERVICE } from './grpc.js';
import { run, type RunResult } from './processes.js';

export type ProbeKind = 'startupProbe' | 'livenessProbe' | 'readinessProbe';
export const PROBE_KINDS: readonly ProbeKind[] = ['startupProbe', 'livenessProbe', 'readinessProbe'];

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: 'HTTP' | 'HTTPS';
    httpHeaders?: { name: string; value: string }[];
  };
  tcpSocket?: { port: number | string; host?: string };
  /** The API takes a port number only, and no host: kubelet always dials the pod's IP. */
  grpc?: { port: number; service?: string };
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
  ports?: { name?: string; containerPort: number }[];
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

/** The kubelet version that its probes' User-Agent names. */
export const KUBE_PROBE_USER_AGENT = 'kube-probe/1.34';
/** kubelet reads at most this much of a probe's response body. */
const MAX_BODY_BYTES = 10 * 1024;
const MAX_REDIRECTS = 10;

/**
 * An address of this machine that is not loopback, standing in for the pod's IP: kubelet
 * probes that, so a server that listens on 127.0.0.1 only fails its probes.
 */
export function podIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address to stand in for a pod IP');
}

/** A probe's port: a number, or the name of one of the container's ports. */
function resolvePort(port: number | string, container?: Container): number {
  if (typeof port === 'number') return port;
  const named = container?.ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`the probe names port ${JSON.stringify(port)}, which the container does not declare`);
  return named.containerPort;
}

export interface NetworkProbeResult {
  passed: boolean;
  /** What kubelet would report: the status line, or the error. */
  output: string;
  /** A pass that kubelet logs as a warning: a redirect to another host. */
  warning?: string;
  /** Every URL asked, in order, redirects included. */
  requests: string[];
  elapsedMs: number;
  /** httpGet: the last response's status and (at most 10 KiB of) its body, when one came. */
  status?: number;
  body?: string;
}

/**
 * Runs an httpGet probe once, as kubelet does: a GET to the pod's IP (or `host`) with
 * `User-Agent: kube-probe/<version>`, `Accept: *\/*`, no keep-alive and the probe's own headers
 * on top; TLS unverified; no proxy. 200-399 passes. Redirects to the same host are followed (at
 * most 10); one to another host passes with a warning. At most 10 KiB of the body is read.
 * timeoutSeconds covers the whole exchange, redirects included. Each connection ends with a
 * reset once the response is read: kubelet sets SO_LINGER, and a server must survive the reset.
 */
export async function runHttpGetProbe(probe: Probe, options: { container?: Container; host?: string } = {}) {
  const get = probe.httpGet;
  if (!get) throw new Error('not an httpGet probe');
  const host = get.host ?? options.host ?? podIp();
  const port = resolvePort(get.port, options.container);
  const scheme = (get.scheme ?? 'HTTP').toLowerCase();
  const path = get.path?.startsWith('/') ? get.path : `/${get.path ?? ''}`;
  const started = performance.now();
  const deadline = started + (probe.timeoutSeconds ?? 1) * 1000;
  // Lower-case names, so that the probe's own headers replace kubelet's defaults as in kubelet.
  const headers: Record<string, string> = { 'user-agent': KUBE_PROBE_USER_AGENT, accept: '*/*', connection: 'close' };
  for (const { name, value } of get.httpHeaders ?? []) headers[name.toLowerCase()] = value;
  const requests: string[] = [];
  const finish = (result: Omit<NetworkProbeResult, 'requests' | 'elapsedMs'>): NetworkProbeResult => ({
    ...result,
    requests,
    elapsedMs: performance.now() - started,
  });
  let url = new URL(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`);
  for (let hop = 0; ; hop += 1) {
    requests.push(url.href);
    let response: { status: number; location: string | undefined; body: string };
    try {
      response = await getOnce(url, headers, deadline - performance.now());
    } catch (error) {
      return finish({ passed: false, output: (error as Error).message });
    }
    const line = `HTTP probe ${url.href}: ${response.status}`;
    const { status, body } = response;
    if (status >= 300 && status < 400 && response.location !== undefined) {
      const next = new URL(response.location, url);
      if (next.hostname !== url.hostname) {
        return finish({ passed: true, output: line, warning: `redirect to another host: ${next.href}`, status, body });
      }
      if (hop >= MAX_REDIRECTS)
        return finish({ passed: false, output: `${line}: stopped after ${MAX_REDIRECTS} redirects`, status, body });
      url = next;
      continue;
    }
    const passed = status >= 200 && status < 400;
    return finish({ passed, output: passed ? line : `${line}, body: ${body}`, status, body });
  }
}

/** One GET, without keep-alive or proxy, that reads at most MAX_BODY_BYTES and gives up at the deadline. */
function getOnce(url: URL, headers: Record<string, string>, remainingMs: number) {
  return new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
    if (remainingMs <= 0) return reject(new Error(`${url.href}: timeout before the request`));
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers,
      agent: false,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`${url.href}: timeout after ${Math.round(remainingMs)} ms`)),
      remainingMs,
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const done = () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
        });
        // kubelet's SO_LINGER: the server may see a reset (unless it has closed already).
        const socket = request.socket;
        if (socket && !socket.destroyed) socket.resetAndDestroy();
        request.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= MAX_BODY_BYTES) done();
      });
      response.once('end', done);
      response.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    request.end();
  });
}

/**
 * Runs a tcpSocket probe once, as kubelet does: it passes if a connection to the pod's IP (or
 * `host`) opens within timeoutSeconds, and closes it at once without sending anything.
 */
export async function runTcpSocketProbe(probe: Probe, options: { container?: Container; host?: string } = {}) {
  const target = probe.tcpSocket;
  if (!target) throw new Error('not a tcpSocket probe');
  const host = target.host ?? options.host ?? podIp();
  const port = resolvePort(target.port, options.container);
  const started = performance.now();
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const output = await new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`dial tcp ${host}:${port}: i/o timeout`);
    });
    socket.once('error', (error) => resolve(`dial tcp ${host}:${port}: ${error.message}`));
  });
  return {
    passed: output === undefined,
    output: output ?? `connected to ${host}:${port}`,
    requests: [`${host}:${port}`],
    elapsedMs: performance.now() - started,
  } satisfies NetworkProbeResult;
}

/**
 * Runs a grpc probe once, as kubelet does: a plaintext HTTP/2 connection to the pod's IP (or
 * `host`) with `User-Agent: kube-probe/<version>`, then grpc.health.v1.Health/Check for the
 * probe's `service` (empty when not given). timeoutSeconds is one deadline for the dial and the
 * call. Only SERVING passes; any other status, any error and a timeout fail.
 */
export async function runGrpcProbe(probe: Probe, options: { host?: string } = {}) {
  const target = probe.grpc;
  if (!target) throw new Error('not a grpc probe');
  if (typeof target.port !== 'number' || !Number.isInteger(target.port)) {
    throw new Error(`a grpc probe's port must be a number, not ${JSON.stringify(target.port)}`);
  }
  const host = options.host ?? podIp();
  const address = `${host}:${target.port}`;
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const started = performance.now();
  const Client = grpc.makeGenericClientConstructor(HEALTH_SERVICE, 'Health');
  // A connection of its own per probe, as kubelet dials anew each time.
  const client = new Client(address, grpc.credentials.createInsecure(), {
    'grpc.primary_user_agent': KUBE_PROBE_USER_AGENT,
    'grpc.use_local_subchannel_pool': 1,
  });
  const output = await new Promise<string | undefined>((resolve) => {
    (client as unknown as Record<string, (...args: unknown[]) => void>).check?.(
      { service: target.service ?? '' },
      { deadline: Date.now() + timeoutMs },
      (error: grpc.ServiceError | null, reply: { status: string } | undefined) => {
        if (error?.code === grpc.status.DEADLINE_EXCEEDED)
          resolve(`timeout: no answer from ${address} within ${timeoutMs} ms`);
        else if (error?.code === grpc.status.UNIMPLEMENTED)
          resolve(`error: ${address} does not serve grpc.health.v1.Health`);
        else if (error)
          resolve(`error: the health call to ${address} failed: ${grpc.status[error.code]}: ${error.details}`);
        else if (reply?.status !== 'SERVING') resolve(`service unhealthy: ${String(reply?.status)}`);
        else resolve(undefined);
      },
    );
  });
  client.close();
  return {
    passed: output === undefined,
    output: output ?? 'SERVING',
    requests: [`${address} ${target.service ?? ''}`],
    elapsedMs: performance.now() - started,
  } satisfies NetworkProbeResult;
}
