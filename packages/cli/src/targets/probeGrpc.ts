import http2, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { performance } from 'node:perf_hooks';
import {
  decodeGrpcMessage,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  frameGrpcMessage,
  GRPC_HEALTH_PATHS,
  GRPC_STATUS,
  grpcStatusName,
  GrpcMessageReader,
  SERVING_STATUS,
  servingStatusName,
  raceDeadline,
  type ProbeReply,
} from '@healthsock/server/protocol';
import { parseHeaders } from '../parseHeaders.js';
import { ProbeError } from '../ProbeError.js';
import { VERSION } from '../version.js';
import { networkError } from './networkError.js';
import { grpcTarget, type GrpcAddress } from './grpcTarget.js';
import type { GrpcTarget, TargetRequest } from './Target.js';
import { targetReply } from './targetReply.js';

/** The most of a response the probe reads: a HealthCheckResponse is two bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** HTTP/2 error codes by number, for a GOAWAY's message. */
const H2_ERRORS: Readonly<Record<number, string>> = {
  0: 'NO_ERROR',
  1: 'PROTOCOL_ERROR',
  2: 'INTERNAL_ERROR',
  7: 'REFUSED_STREAM',
  8: 'CANCEL',
  11: 'ENHANCE_YOUR_CALM',
};

/**
 * kubelet's `grpc` probe, and grpc_health_probe's: `grpc.health.v1.Health/Check` for the
 * target's service over HTTP/2, plaintext (`grpc://`, prior knowledge) or TLS without
 * verification (`grpcs://`), with one deadline for the connection and the call. Only SERVING
 * passes. Another serving status is `unhealthy`; NOT_FOUND, UNIMPLEMENTED and anything that
 * is not a complete gRPC answer are `bad-reply`.
 */
export async function probeGrpc(given: GrpcTarget, request: TargetRequest): Promise<ProbeReply> {
  const { probe, deadline, timeoutMs, headers = [] } = request;
  const started = performance.now();
  const where = given.display;
  const target = grpcTarget(given);
  const metadata = parseHeaders(headers);
  let connected = false;
  const late = () => {
    throw new ProbeError(
      'timeout',
      connected
        ? `${where} did not answer within ${timeoutMs} ms`
        : `could not connect to ${where} within ${timeoutMs} ms`,
    );
  };
  return raceDeadline<ProbeReply>(deadline - started, late, ({ done, fail }) => {
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    const session = http2.connect(`${target.tls ? 'https' : 'http'}://${host}:${target.port}`, {
      // As kubelet's TLS mode: the connection is encrypted, the certificate not verified.
      rejectUnauthorized: false,
      settings: { enablePush: false },
    });
    let goaway: string | undefined;
    let response: IncomingHttpHeaders | undefined;
    let trailers: IncomingHttpHeaders | undefined;
    let message: Buffer | undefined;
    let failure: ProbeError | undefined;
    let received = 0;
    const reader = new GrpcMessageReader(MAX_RESPONSE_BYTES);
    const finish = (outcome: ProbeReply | ProbeError) =>
      outcome instanceof ProbeError ? fail(outcome) : done(outcome);

    session.once('connect', () => (connected = true));
    session.on('error', (error: NodeJS.ErrnoException) => finish(networkError(error, where, connected)));
    session.on('goaway', (code: number, _lastStreamId: number, data?: Buffer) => {
      const debug = data && data.length > 0 ? `: ${data.toString('utf8', 0, 200)}` : '';
      goaway = `${H2_ERRORS[code] ?? `error ${code}`}${debug}`;
    });

    const remaining = Math.max(1, Math.floor(deadline - performance.now()));
    const stream = session.request({
      ':method': 'POST',
      ':path': GRPC_HEALTH_PATHS.check,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': `${remaining}m`,
      'user-agent': `healthsock/${VERSION}`,
      ...asHeaders(metadata),
    });
    stream.end(frameGrpcMessage(encodeHealthCheckRequest(target.service)));
    stream.on('response', (received) => (response = received));
    stream.on('trailers', (received) => (trailers = received));
    stream.on('data', (chunk: Buffer) => {
      if (failure || message) return;
      received += chunk.length;
      const read = reader.push(chunk);
      if (!Array.isArray(read)) {
        failure = new ProbeError('bad-reply', `${where} sent an unreadable response: ${read.message}`);
      } else if (received > MAX_RESPONSE_BYTES) {
        failure = new ProbeError('bad-reply', `${where} sent more than ${MAX_RESPONSE_BYTES} bytes`);
      } else message = read[0];
      if (failure) finish(failure);
    });
    let streamError: NodeJS.ErrnoException | undefined;
    stream.on('error', (error: NodeJS.ErrnoException) => (streamError = error));
    stream.once('close', () => {
      if (response === undefined && goaway !== undefined) {
        return finish(
          new ProbeError('bad-reply', `${where} closed the connection before answering (GOAWAY ${goaway})`),
        );
      }
      // The connection's own failure (refused, no such host) reaches the stream too.
      if (response === undefined && streamError) {
        const cause = (streamError.cause as NodeJS.ErrnoException | undefined) ?? streamError;
        return finish(networkError(cause, where, connected));
      }
      finish(judge(target, where, probe, started, { response, trailers, message, closedEarly: stream.rstCode }));
    });
    return () => session.destroy();
  });
}

interface Answer {
  response: IncomingHttpHeaders | undefined;
  trailers: IncomingHttpHeaders | undefined;
  message: Buffer | undefined;
  closedEarly: number | undefined;
}

/** What the call's headers, message and trailers say. */
function judge(
  target: GrpcAddress,
  where: string,
  probe: TargetRequest['probe'],
  started: number,
  answer: Answer,
): ProbeReply | ProbeError {
  const { response, trailers, message } = answer;
  if (response === undefined) {
    return new ProbeError(
      'bad-reply',
      `${where} closed the call without answering (HTTP/2 reset ${answer.closedEarly ?? 'unknown'})`,
    );
  }
  const httpStatus = Number(response[':status']);
  // A trailers-only answer carries its status in the headers.
  const statusHeader = trailers?.['grpc-status'] ?? response['grpc-status'];
  const text = decodeGrpcMessage(String(trailers?.['grpc-message'] ?? response['grpc-message'] ?? ''));
  const detail = text === '' ? '' : `: ${text.slice(0, 300)}`;
  if (httpStatus !== 200) {
    return new ProbeError('bad-reply', `${where} answered HTTP ${String(httpStatus)}, not a gRPC response${detail}`);
  }
  if (statusHeader === undefined) {
    return new ProbeError('bad-reply', `${where} ended the call without a gRPC status (no trailers)`);
  }
  const code = Number(statusHeader);
  const named = `${grpcStatusName(code)}${detail}`;
  if (code === GRPC_STATUS.NOT_FOUND) {
    return new ProbeError(
      'bad-reply',
      `${where} has no service ${JSON.stringify(target.service)} (NOT_FOUND${detail})`,
    );
  }
  if (code === GRPC_STATUS.UNIMPLEMENTED) {
    return new ProbeError('bad-reply', `${where} does not serve grpc.health.v1.Health (UNIMPLEMENTED${detail})`);
  }
  if (code === GRPC_STATUS.DEADLINE_EXCEEDED) return new ProbeError('timeout', `${where} answered ${named}`);
  if (code !== GRPC_STATUS.OK) return new ProbeError('bad-reply', `${where} failed the call: ${named}`);
  if (message === undefined) return new ProbeError('bad-reply', `${where} answered OK without a HealthCheckResponse`);
  let status: number;
  try {
    status = decodeHealthCheckResponse(message).status;
  } catch (error) {
    return new ProbeError(
      'bad-reply',
      `${where} sent a response that is not a HealthCheckResponse: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const took = performance.now() - started;
  const name = servingStatusName(status);
  if (status === SERVING_STATUS.SERVING) return targetReply(probe, 'healthy', took, name);
  // grpc-js says "OK" in grpc-message of every successful call: no reason at all.
  return targetReply(probe, 'unhealthy', took, `${name}${text === 'OK' ? '' : detail}`);
}

/** The metadata as HTTP/2 headers: a name given twice is sent twice. */
function asHeaders(headers: readonly (readonly [string, string])[]): OutgoingHttpHeaders {
  const merged: Record<string, string[]> = {};
  for (const [name, value] of headers) (merged[name] ??= []).push(value);
  return Object.fromEntries(
    Object.entries(merged).map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
  );
}
