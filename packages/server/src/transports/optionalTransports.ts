// The code of every transport that is off unless configured, and of HTTP on the Unix socket: one
// module, loaded with import() only when it is needed, so that a socket-only worker never parses
// it and one that uses it reads one file more.
export { createHttpTransport } from './http/createHttpTransport.js';
export { serveHttpConnection } from './http/serveHttpConnection.js';
export { createTcpGate } from './tcp/createTcpGate.js';
export { createHeartbeat } from './heartbeat/createHeartbeat.js';
