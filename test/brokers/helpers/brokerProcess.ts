import { spawn, type ChildProcess } from 'node:child_process';
import { pollFor } from '../../helpers/time.js';

/** A broker process this test started: its output is kept for the failure message. */
export interface BrokerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
  /** SIGTERM (both brokers shut down cleanly on it), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnBroker(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): BrokerProcess {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      output += `\n${error.message}`;
      resolve();
    });
    child.on('exit', () => resolve());
  });
  return {
    child,
    output: () => output,
    exited,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `ready` until it resolves true, or throws with the broker's output after `timeoutMs`. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, broker: BrokerProcess, timeoutMs: number) {
  const state = async () =>
    broker.child.exitCode !== null ? 'exited' : (await ready().catch(() => false)) ? 'ready' : 'starting';
  const last = await pollFor(state, (seen) => seen !== 'starting', { withinMs: timeoutMs, everyMs: 200 });
  if (last === 'ready') return;
  if (last === 'exited') throw new Error(`${what} exited (${broker.child.exitCode}):\n${broker.output()}`);
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${broker.output()}`);
}
