import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/format/writeOutput.js';
import { captureIo as capture } from '../../../../test/helpers/captureIo.js';

describe('writeOutput', () => {
  it('cuts each line to 1000 bytes and keeps it one line', () => {
    const { out, io } = capture();
    writeOutput(io, [
      { stream: 'stderr', text: `refused: ${'é'.repeat(2000)}` },
      { stream: 'stderr', text: 'two\nlines' },
    ]);
    const [first, second] = out.stderr.split('\n');
    expect(Buffer.byteLength(first ?? '')).toBeLessThanOrEqual(1000);
    expect(first).toMatch(/^refused: é+…$/);
    expect(second).toBe('two lines');
  });

  it('stops at 4096 bytes in all, and prints a JSON line whole or not at all', () => {
    const { out, io } = capture();
    const json = JSON.stringify({ v: 1, text: 'j'.repeat(1500) });
    writeOutput(io, [
      ...Array.from({ length: 4 }, () => ({ stream: 'stderr' as const, text: 'x'.repeat(999) })),
      { stream: 'stdout', text: json, json: true },
      { stream: 'stderr', text: 'y'.repeat(900) },
    ]);
    expect(out.stdout).toBe('');
    expect(Buffer.byteLength(out.stdout + out.stderr)).toBeLessThanOrEqual(4096);
    expect(out.stderr).toMatch(/y+…\n$/);
  });
});
