export { main } from './main.js';
export type { ExitCode, Io } from './main.js';
export type { Env } from './parseArgs.js';
export { ProbeError } from './client/ProbeError.js';
export type { FailureClass } from './client/ProbeError.js';
