// Every test file of every project loads this: a process warning that a test does not expect
// fails that test, so that `pnpm test` prints no warning nobody looked at. A test that provokes
// a warning on purpose catches it (e.g. vi.spyOn(process, 'emitWarning')) and asserts it.
import { afterEach, expect } from 'vitest';

const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

afterEach(() => {
  expect(warnings.splice(0), 'process warnings this test did not expect').toEqual([]);
});
