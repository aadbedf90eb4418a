/**
 * Tells the parent the server is up, then keeps the process alive until the parent closes
 * our stdin. The line `elu` on stdin answers with the event-loop utilisation since the
 * previous `elu` line, so the parent can measure any window it likes.
 *
 * @param {() => Promise<unknown>} close
 */
export function holdUntilStdinCloses(close) {
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
  process.stdout.write('listening\n');
}
