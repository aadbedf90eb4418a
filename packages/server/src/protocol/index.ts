// The wire protocol, shared by the server and every client (`@healthsock/server/protocol`).
export {
  COMPAT_REQUEST,
  DEFAULT_SOCKET_PATH,
  defaultSocketPath,
  MAX_DEADLINE_MS,
  MAX_REQUEST_BYTES,
  MAX_SOCKET_PATH_BYTES,
  PROBES,
  PROTOCOL_VERSION,
  STATUSES,
  isProbeName,
  isStatus,
} from './constants.js';
export type { ProbeName, Status } from './constants.js';
export { parseRequest } from './parseRequest.js';
export { resolveSocketAddress } from './resolveSocketAddress.js';
export type { ResolvedSocketAddress, SocketAddress } from './resolveSocketAddress.js';
export type { ParsedRequest, ProbeRequest } from './parseRequest.js';
export { MAX_REPLY_BYTES, encodeCompatReply, encodeErrorReply, encodeProbeReply, parseReply } from './reply.js';
export type {
  CheckReport,
  ErrorReply,
  ParsedReply,
  ProbeReply,
  ProbeReport,
  ProtocolError,
  ProtocolErrorCode,
  Reply,
} from './reply.js';
