// What clients need to talk to a healthsock server (`@healthsock/server/protocol`): the probe
// names, what a request may hold, the reply format, where the socket is, and gRPC health as a
// client speaks it. What only a server does (parsing requests, encoding responses) is not here.
export { PROBES, isProbeName } from '../model/probes.js';
export type { ProbeName } from '../model/probes.js';
export { STATUSES, isStatus } from '../model/statuses.js';
export type { Status } from '../model/statuses.js';
export type { CheckReport, ProbeReport } from '../model/reports.js';
export { COMPAT_REQUEST, MAX_DEADLINE_MS, MAX_REQUEST_BYTES, PROTOCOL_VERSION } from '../wire/constants.js';
// encodeProbeReply: a client that passes a reply on (the CLI's --json) fits it as the server does.
export { MAX_REPLY_BYTES, encodeProbeReply, parseReply } from '../wire/reply.js';
export type { ErrorReply, ParsedReply, ProbeReply, ProtocolError, ProtocolErrorCode, Reply } from '../wire/reply.js';
export { DEFAULT_SOCKET_PATH, MAX_SOCKET_PATH_BYTES, defaultSocketPath } from '../model/defaultSocketPath.js';
export { resolveSocketAddress } from '../model/resolveSocketAddress.js';
export type { ResolvedSocketAddress, SocketAddress } from '../model/resolveSocketAddress.js';
// grpc.health.v1 as a client speaks it, for the CLI's grpc:// target.
export {
  GRPC_HEALTH_PATHS,
  GRPC_STATUS,
  GrpcMessageReader,
  SERVING_STATUS,
  decodeGrpcMessage,
  decodeHealthCheckResponse,
  decodeHealthListResponse,
  encodeHealthCheckRequest,
  frameGrpcMessage,
  grpcStatusName,
  servingStatusName,
} from '../wire/grpcHealthWire.js';
export type { GrpcFrameError, ServingStatus } from '../wire/grpcHealthWire.js';
// Rules the server and its clients share, written once: the CLI's targets race their deadline as
// the server's checks do.
export { raceDeadline } from '../shared/raceDeadline.js';
export type { Settle } from '../shared/raceDeadline.js';
// The base of the server's HealthsockError and of a client's own errors (the CLI's ProbeError).
export { CodedError } from '../model/CodedError.js';
// OS error codes in words, the same in a check's message and in the CLI's failure line.
export { osErrorWords } from '../shared/osErrorWords.js';
// One line, and cut with an ellipsis: the CLI's output follows the server's messages.
export { cutBytes, cutText } from '../shared/cutText.js';
export { isOneLine, oneLine } from '../shared/oneLine.js';
