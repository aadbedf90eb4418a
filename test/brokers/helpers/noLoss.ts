// Counting a no-loss run: every worker prints one line per message it finished, and the test
// counts them across workers, its predecessors included.
import { pollFor } from '../../helpers/time.js';

export interface Run {
  /** Feed every worker's stdout lines here. */
  onLine(line: string, worker: string): void;
  /** How many distinct messages have been processed. */
  unique(): number;
  /** How many times each message was processed. */
  counts: Map<string, number>;
  /** How many were marked redelivered: taken by a worker that died before its ack arrived. */
  redelivered(): number;
  /** Resolves once `done()` holds, polling; throws after `timeoutMs`. */
  until(done: () => boolean, timeoutMs: number): Promise<void>;
}

/** A run that counts lines like `acked <id>` (RabbitMQ) or `processed <id>` (BullMQ). */
export function countRun(pattern = /^(?:acked|processed) (\S+)( \(redelivered\))?$/): Run {
  const counts = new Map<string, number>();
  let redelivered = 0;
  return {
    counts,
    redelivered: () => redelivered,
    onLine(line) {
      const match = pattern.exec(line);
      const id = match?.[1];
      if (id === undefined) return;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (match?.[2]) redelivered += 1;
    },
    unique: () => counts.size,
    async until(done, timeoutMs) {
      if (!(await pollFor(done, (finished) => finished, { withinMs: timeoutMs, everyMs: 50 })))
        throw new Error(`gave up after ${timeoutMs} ms with ${counts.size} messages processed`);
    },
  };
}

export interface RunReport {
  published: number;
  processed: number;
  duplicates: number;
  lost: number;
  /** Processed ids that were never published: would mean the count is wrong. */
  unknown: number;
  redelivered: number;
}

/** Prints the run's counts into the test output and returns them. */
export function reportRun(name: string, published: readonly string[], run: Run): RunReport {
  const ids = new Set(published);
  let duplicates = 0;
  let unknown = 0;
  for (const [id, count] of run.counts) {
    duplicates += count - 1;
    if (!ids.has(id)) unknown += 1;
  }
  const lost = published.filter((id) => !run.counts.has(id)).length;
  const report = {
    published: published.length,
    processed: run.counts.size,
    duplicates,
    lost,
    unknown,
    redelivered: run.redelivered(),
  };
  console.log(
    `${name}: published ${report.published}, processed ${report.processed}, duplicates ${report.duplicates}, lost ${report.lost} (redelivered after a worker died: ${report.redelivered})`,
  );
  return report;
}
