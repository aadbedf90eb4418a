/**
 * `@healthsock/server/prometheus`: healthsock's series in an application's own prom-client
 * registry. prom-client is an optional peer, loaded only by importing this entry point.
 */
export { registerPrometheus } from '../metrics/registerPrometheus.js';
