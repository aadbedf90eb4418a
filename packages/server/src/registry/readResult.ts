import type { CheckReport } from '../model/reports.js';
import { isStatus } from '../model/statuses.js';
import { describeThrown, primitiveText } from '../user/describeThrown.js';

/** A check's outcome as read from its return value, before its message is tidied. */
export type ReadResult = Omit<CheckReport, 'name' | 'durationMs'>;

/** What most checks return, `undefined` or a query's result, says: shared, since nothing changes it. */
const HEALTHY: ReadResult = Object.freeze({ status: 'healthy' });

/**
 * What a check's return value says: an explicit `{ status, message?, data? }` result, or healthy
 * for anything else. Each property is read once, so a getter cannot say one thing now and another
 * when the reply is encoded; a result that throws while it is read is unhealthy; `data` is kept
 * as a plain JSON copy, or left out when it cannot be serialised.
 */
export function readResult(value: unknown): Readonly<ReadResult> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return HEALTHY;
  let status: unknown;
  let message: unknown;
  let data: unknown;
  try {
    const result = value as { status?: unknown; message?: unknown; data?: unknown };
    status = result.status;
    if (!isStatus(status)) return HEALTHY;
    message = result.message;
    data = result.data;
  } catch (error) {
    return { status: 'unhealthy', message: `returned a result that cannot be read: ${describeThrown(error)}` };
  }
  const text = primitiveText(message);
  const copy = jsonCopy(data);
  return { status, ...(text === undefined ? {} : { message: text }), ...(copy === undefined ? {} : { data: copy }) };
}

function jsonCopy(data: unknown): unknown {
  if (data === undefined) return undefined;
  try {
    const json = JSON.stringify(data);
    return json === undefined ? undefined : JSON.parse(json);
  } catch {
    return undefined;
  }
}
