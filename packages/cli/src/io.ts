/** Where the CLI writes; `process.stdout` and `process.stderr` fit. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** 0: the probe passed. 1: anything else. Never 2, which Docker reserves. */
export type ExitCode = 0 | 1;
