import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startWorker, tempDir, type Worker } from './processes.js';

/**
 * A fresh temporary directory for every test, with `health.sock` in it, and workers that are
 * killed when the test ends. Call it once at the top of a test file.
 */
export function useSandbox() {
  let dir: ReturnType<typeof tempDir> | undefined;
  const workers: Worker[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.kill()));
    dir?.remove();
  });
  const current = () => {
    if (!dir) throw new Error('useSandbox() is only usable inside a test');
    return dir.path;
  };
  return {
    get dir(): string {
      return current();
    },
    get socket(): string {
      return join(current(), 'health.sock');
    },
    /** Starts a worker (see startWorker) that is killed after the test. */
    async worker(...args: Parameters<typeof startWorker>) {
      const started = await startWorker(...args);
      workers.push(started);
      return started;
    },
  };
}
