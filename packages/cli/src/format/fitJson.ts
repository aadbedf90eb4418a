import { cutBytes, encodeProbeReply, type ProbeReply, PROTOCOL_VERSION } from '@healthsock/server/protocol';

/**
 * The reply as one JSON line of at most `maxBytes`, for `--json`. A reply from a foreign or
 * future server can be any size: it keeps only the fields of the protocol, shrinks as the
 * server itself would, and if even that is too large, keeps the verdict and a cut message.
 */
export function fitJson(reply: ProbeReply, maxBytes: number): string {
  const { probe, status, durationMs, message } = reply;
  const checks = reply.checks.map(({ name, status, durationMs, message, data }) => ({
    name,
    status,
    durationMs,
    ...(message === undefined ? {} : { message }),
    ...(data === undefined ? {} : { data }),
  }));
  const line = encodeProbeReply({
    probe,
    status,
    durationMs,
    ...(message === undefined ? {} : { message }),
    checks,
  }).trimEnd();
  if (Buffer.byteLength(line) <= maxBytes) return line;
  const note = `${checks.length} of ${checks.length} checks left out to keep the reply small`;
  const short = cutBytes([message, note].filter(Boolean).join('; '), Math.max(0, Math.floor(maxBytes / 2) - 100));
  return JSON.stringify({ v: PROTOCOL_VERSION, probe, status, durationMs, message: short, checks: [] });
}
