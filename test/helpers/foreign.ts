import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { sleep } from './time.js';

export const FOREIGN_HTTP = fileURLToPath(new URL('../fixtures/foreignHttp.py', import.meta.url));
export const FULL_BACKLOG = fileURLToPath(new URL('../fixtures/fullBacklog.py', import.meta.url));

export interface Foreign {
  port: number;
  stop(): Promise<void>;
}

/** Starts a server that prints its port on its first line (the Python fixtures), and waits for it. */
export function startForeign(command: string, args: readonly string[]): Promise<Foreign> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    };
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = Number(out.split('\n')[0]);
      if (out.includes('\n') && port > 0) resolve({ port, stop });
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`${command} ${args.join(' ')} exited before listening: ${err}`)));
  });
}

/**
 * A socat TCP listener, each connection handed to `handler` (e.g. `SYSTEM:sleep 30`). socat
 * cannot print the port it bound to, so it gets one the kernel just chose, and the wait for it to
 * accept covers the start-up.
 */
export async function startSocat(host: string, handler: string): Promise<Foreign> {
  const port = await freePort(host);
  const listen = host.includes(':') ? `TCP6-LISTEN:${port},bind=[${host}]` : `TCP-LISTEN:${port},bind=${host}`;
  const child = spawn('socat', [`${listen},reuseaddr,fork`, handler], { stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let attempt = 0; ; attempt++) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.destroy());
    });
    if (connected) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`socat did not listen on ${host} port ${port}`);
    await sleep(50);
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
