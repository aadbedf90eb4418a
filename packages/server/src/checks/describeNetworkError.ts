/**
 * What went wrong with a connection, in the words an operator reads in a pod event:
 * `connection refused by rabbitmq:5672` rather than `connect ECONNREFUSED 10.0.0.7:5672`.
 * `target` is the `host:port` the user configured, which says more than the resolved address.
 */
export function describeNetworkError(error: unknown, host: string, target: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOTFOUND':
      return `cannot resolve ${host}: no such host (ENOTFOUND)`;
    case 'EAI_AGAIN':
      return `cannot resolve ${host}: DNS did not answer (EAI_AGAIN)`;
    case 'ECONNREFUSED':
      return `connection refused by ${target}: nothing listens there (ECONNREFUSED)`;
    case 'ECONNRESET':
      return `connection reset by ${target} (ECONNRESET)`;
    case 'ETIMEDOUT':
      return `no answer from ${target} (ETIMEDOUT)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${target} (${code})`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `${target}: ${message}`;
    }
  }
}
