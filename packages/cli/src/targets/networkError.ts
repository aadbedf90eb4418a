import { osErrorWords } from '@healthsock/server/protocol';
import { ProbeError } from '../ProbeError.js';

/**
 * Classes a failure to reach a host and port (the `tcp://` and `http(s)://` targets): an unknown
 * name is `no-host`, a port nobody listens on is `refused`, and anything after connecting is
 * the peer's doing (`bad-reply`).
 */
export function networkError(error: NodeJS.ErrnoException, where: string, connected: boolean): ProbeError {
  const code = error.code ?? error.message;
  const options = { cause: error };
  if (connected)
    return new ProbeError(
      'bad-reply',
      `${where} closed or broke the connection before a complete answer: ${code}`,
      options,
    );
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new ProbeError('no-host', `cannot resolve the host of ${where}: ${code}`, options);
    case 'ECONNREFUSED':
      return new ProbeError('refused', `nothing is listening at ${where} (${osErrorWords(error.code)})`, options);
    default:
      return new ProbeError('refused', `cannot connect to ${where}: ${code}`, options);
  }
}
