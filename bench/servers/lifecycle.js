/**
 * What every bench server shares: where it listens, and how it lives.
 *
 * argv[2] is where to listen: a Unix socket's path, or `tcp` for a free port on 127.0.0.1.
 */

/** The listen target from argv[2], in the form `server.listen()` takes. */
export function listenTarget() {
  const where = process.argv[2] ?? '';
  if (where === '') throw new Error('usage: node <server>.js <socket path | tcp>');
  return where === 'tcp' ? { port: 0, host: '127.0.0.1' } : { path: where };
}

/**
 * The address a client reaches a listening server at, as bench/load/loadgen.c takes it.
 *
 * @param {import('node:net').AddressInfo | string | null | undefined} address
 */
export function clientAddress(address) {
  if (address && typeof address === 'object') return `tcp:127.0.0.1:${address.port}`;
  return process.argv[2] ?? '';
}

/**
 * Tells the parent the server is up (`listening <address>`), then keeps the process alive
 * until the parent closes our stdin. The line `elu` on stdin answers with the event-loop
 * utilisation since the previous `elu` line, so the parent can measure any window it likes.
 *
 * @param {string} address what clientAddress() returned
 * @param {() => Promise<unknown>} close
 */
export function holdUntilStdinCloses(address, close) {
  let mark = performance.eventLoopUtilization();
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text) => {
    for (const line of String(text).split('\n')) {
      if (line !== 'elu') continue;
      const window = performance.eventLoopUtilization(mark);
      mark = performance.eventLoopUtilization();
      process.stdout.write(`elu ${JSON.stringify(window)}\n`);
    }
  });
  process.stdin.on('end', () => void close().then(() => process.exit(0)));
  process.stdout.write(`listening ${address}\n`);
}
