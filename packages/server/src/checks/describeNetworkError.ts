import { osErrorWords } from '../shared/osErrorWords.js';

/**
 * What went wrong with a connection, in the words an operator reads in a pod event:
 * `connection refused by rabbitmq:5672` rather than `connect ECONNREFUSED 10.0.0.7:5672`.
 * `target` is the `host:port` the user configured, which says more than the resolved address.
 */
export function describeNetworkError(error: unknown, host: string, target: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const words = osErrorWords(code);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host}: ${words} (${code})`;
    case 'ECONNREFUSED':
      return `${words} by ${target}: nothing listens there (${code})`;
    case 'ECONNRESET':
      return `${words} by ${target} (${code})`;
    case 'ETIMEDOUT':
      return `${words} from ${target} (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${words} to ${target} (${code})`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `${target}: ${message}`;
    }
  }
}
