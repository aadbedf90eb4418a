// `pnpm demo`: a worker hosting @healthsock/server, probed by the healthsock CLI, first while
// its broker is up, then after the broker goes away.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.cjs', import.meta.url));
const dir = mkdtempSync('/tmp/healthsock-demo-');
const socket = join(dir, 'health.sock');

const broker = net.createServer((connection) => connection.end());
await new Promise((resolve) => broker.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = /** @type {net.AddressInfo} */ (broker.address());

const worker = spawn(process.execPath, [fileURLToPath(new URL('./worker.js', import.meta.url))], {
  env: { ...process.env, HEALTHSOCK_SOCKET: socket, BROKER_PORT: String(address.port) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) => worker.stdout.once('data', resolve));

/**
 * Runs the CLI as a probe would and shows what a person would see in a terminal.
 * @param {...string} args
 */
function probe(...args) {
  console.log(`\n$ healthsock ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args, '-s', socket], { encoding: 'utf8' });
  process.stdout.write(result.stdout + result.stderr);
  console.log(`(exit ${result.status})`);
}

try {
  console.log(`A worker listens on ${socket}; its broker is up on 127.0.0.1:${address.port}.`);
  probe('readiness');
  probe('liveness');

  await new Promise((resolve) => broker.close(resolve));
  console.log('\nThe broker goes down.');
  probe('readiness', '-v');
  console.log('\nLiveness still passes: restarting the worker would not bring the broker back.');
  probe('liveness');
} finally {
  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
