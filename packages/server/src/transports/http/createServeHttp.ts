import type { ServeHttp } from '../TransportContext.js';
import type { HttpResponder } from './createHttpResponder.js';

/**
 * Serves HTTP with `respond`. The HTTP code loads only once a client speaks HTTP, so that a
 * worker probed over the socket's line protocol never parses it; until it has loaded, the
 * connection waits, paused, so that nothing it sends is lost.
 */
export function createServeHttp(respond: HttpResponder): ServeHttp {
  let serve: typeof import('./serveHttpConnection.js').serveHttpConnection | undefined;
  return (connection, details, received) => {
    if (serve) return serve(connection, respond, details, received);
    connection.socket.pause();
    import('../optionalTransports.js').then(
      (code) => {
        serve = code.serveHttpConnection;
        if (connection.socket.destroyed) return;
        serve(connection, respond, details, received);
        connection.socket.resume();
      },
      () => connection.socket.destroy(),
    );
  };
}
