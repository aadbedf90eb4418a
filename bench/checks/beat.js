// What progress's beat() costs per call, a lane's beat() (checks.lanes), and a begin()/done() pair
// of checks.inflight, against the hand-written alternative of stamping the time on every message,
// and an empty call. Each variant runs in a fresh process (argv[2]), from
// cold: the first calls run unoptimised, as they do in a worker that has just started. Prints
// { nsPerCall, gcs }: the garbage collections during the calls, which any allocation would cause.
import { GCProfiler } from 'node:v8';

const [variant = 'beat', count = '10000000'] = process.argv.slice(2);
const { checks } = await import('../../packages/server/dist/index.js');
const consumer = checks.progress({ maxAgeMs: 60_000 });
const lane = checks.lanes({ maxAgeMs: 60_000 }).add('orders/0');
const jobs = checks.inflight({ maxAgeMs: 60_000 });
let lastMessageAt = 0;
/** @type {Record<string, () => void>} */
const calls = {
  beat: () => consumer.beat(),
  'lane beat': () => lane.beat(),
  // As a consumer with a prefetch of one uses it: each job ends before the next begins.
  'begin/done': () => jobs.begin()(),
  'Date.now()': () => {
    lastMessageAt = Date.now();
  },
  empty: () => {},
};
const call = calls[variant];
if (!call) throw new Error(`unknown variant ${variant}`);
const n = Number(count);
const profiler = new GCProfiler();
profiler.start();
const started = process.hrtime.bigint();
for (let i = 0; i < n; i++) call();
const elapsed = Number(process.hrtime.bigint() - started);
const { statistics } = profiler.stop();
process.stdout.write(`${JSON.stringify({ nsPerCall: elapsed / n, gcs: statistics.length, lastMessageAt })}\n`);
