// The heartbeat file end to end: a real worker process, a real file, and the probes that check such
// files in practice: `rm` (the probe deletes it; the worker must write it again), `find -mmin`
// (freshness), and `test -f` (existence).
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { pollUntil } from './helpers/time.js';

const sandbox = useSandbox();
const INTERVAL_MS = 200;

/** Waits for a file-system state, within a wide bound over one interval. */
const until = (condition: () => boolean) => pollUntil(condition, { withinMs: INTERVAL_MS + 3000 });

function heartbeatWorker(path: string, behaviour: 'pass' | 'fail' = 'pass') {
  return sandbox.worker(sandbox.socket, [{ name: 'consumer', probes: ['liveness'], behaviour }], {
    env: { HS_OPTIONS: JSON.stringify({ heartbeat: { path, intervalMs: INTERVAL_MS } }) },
  });
}

describe('the heartbeat file', () => {
  it('is fresh while the probe passes, gone while it fails, and back after an external rm', async () => {
    const path = join(sandbox.dir, 'healthy');
    const worker = await heartbeatWorker(path);
    expect(worker.status).toBe('listening');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ v: 1, probe: 'liveness', status: 'healthy' });
    const firstMtime = statSync(path).mtimeMs;
    await until(() => existsSync(path) && statSync(path).mtimeMs > firstMtime);
    expect((await run('find', [path, '-mmin', '-1'])).stdout).toBe(`${path}\n`);

    // The rm-style probe: it deletes the file and passes; the next interval writes it again.
    expect((await run('rm', [path])).code).toBe(0);
    await until(() => existsSync(path));
    expect((await run('rm', [path])).code).toBe(0);

    worker.send('set consumer fail');
    await worker.nextLine('set');
    await until(() => !existsSync(path));
    expect((await run('rm', [path])).code).toBe(1);
    expect((await run('test', ['-f', path])).code).toBe(1);

    worker.send('set consumer pass');
    await worker.nextLine('set');
    await until(() => existsSync(path));
    // A closed server leaves no heartbeat behind to pass a probe.
    worker.send('exit');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(path)).toBe(false);
  });

  it('is not written at all while the probe fails from the start', async () => {
    const path = join(sandbox.dir, 'healthy');
    const worker = await heartbeatWorker(path, 'fail');
    expect(worker.status).toBe('listening');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a symlink or a file it did not write, and leaves both alone', async () => {
    const target = join(sandbox.dir, 'precious');
    writeFileSync(target, 'do not touch\n');
    const link = join(sandbox.dir, 'link');
    symlinkSync(target, link);
    const linked = await heartbeatWorker(link);
    expect(linked.status).toMatch(/^error ERR_HEARTBEAT_FILE heartbeat path .*link is a symbolic link; refusing/);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
    // Nothing half-started: the socket the worker had bound is gone again.
    expect(existsSync(sandbox.socket)).toBe(false);

    const foreign = await heartbeatWorker(target);
    expect(foreign.status).toMatch(/^error ERR_HEARTBEAT_FILE .*precious is a file healthsock did not write/);
    expect(readFileSync(target, 'utf8')).toBe('do not touch\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('takes over the heartbeat an earlier run of the worker left behind', async () => {
    const path = join(sandbox.dir, 'healthy');
    writeFileSync(path, '{"v":1,"probe":"liveness","status":"healthy","durationMs":0,"checks":[]}\n');
    const worker = await heartbeatWorker(path, 'fail');
    expect(worker.status).toBe('listening');
    expect(existsSync(path)).toBe(false);
  });
});
