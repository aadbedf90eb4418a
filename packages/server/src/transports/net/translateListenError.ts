import { HealthsockError } from '../../model/HealthsockError.js';
import { osErrorWords } from '../../shared/osErrorWords.js';
import { errorCode } from './errorCode.js';

/** A failure to listen on a TCP port, as an error that names what was configured. */
export function translateListenError(error: unknown, what: string): HealthsockError {
  const code = errorCode(error);
  if (code === 'EADDRINUSE') {
    return new HealthsockError('ERR_PORT_IN_USE', `${what} is in use: another process is listening on it`, {
      cause: error,
    });
  }
  const reason = code === 'EACCES' ? osErrorWords(code) : String((error as Error | undefined)?.message ?? error);
  return new HealthsockError('ERR_PORT_LISTEN', `cannot listen on ${what}: ${reason}`, { cause: error });
}
