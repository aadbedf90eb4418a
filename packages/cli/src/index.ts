export { main } from './main.js';
export type { ExitCode, Io } from './main.js';
export type { CliOptions, Env } from './parseArgs.js';
export { ProbeError } from './ProbeError.js';
export type { FailureClass } from './ProbeError.js';
export { parseTarget } from './targets/parseTarget.js';
export { probeTarget } from './targets/probeTarget.js';
export type { FileTarget, HttpTarget, SocketTarget, Target, TargetRequest, TcpTarget } from './targets/Target.js';
