import { healthsockError } from '../../model/errors.js';
import type { HealthsockError } from '../../model/HealthsockError.js';
import { osErrorWords } from '../../shared/osErrorWords.js';
import { errorCode } from '../../model/errorCode.js';

/** A failure to listen on a TCP port, as an error that names what was configured. */
export function translateListenError(error: unknown, what: string): HealthsockError {
  const code = errorCode(error);
  if (code === 'EADDRINUSE') {
    return healthsockError('ERR_PORT_IN_USE', 'port', [what], { cause: error });
  }
  const reason = code === 'EACCES' ? osErrorWords(code) : String((error as Error | undefined)?.message ?? error);
  return healthsockError('ERR_PORT_LISTEN', 'port', [what, reason], { cause: error });
}
