import { encodeErrorReply } from '../../wire/reply.js';
import type { Goodbye } from '../net/ConnectionPool.js';

/** What the pool sends a line-protocol connection it closes before its request is complete. */
export function lineGoodbye(goodbye: Goodbye): string {
  switch (goodbye.reason) {
    case 'idle':
      return encodeErrorReply({
        code: 'ERR_REQUEST_TIMEOUT',
        message: `no complete request within ${goodbye.idleTimeoutMs} ms`,
      });
    case 'evicted':
      return encodeErrorReply({
        code: 'ERR_OVERLOADED',
        message: `closed to make room: ${goodbye.maxConnections} connections were open and this one had sent no complete request`,
      });
    case 'overloaded':
      return encodeErrorReply({
        code: 'ERR_OVERLOADED',
        message: `more than ${goodbye.maxConnections} open connections`,
      });
  }
}
