/**
 * `@healthsock/server/opentelemetry`: healthsock's series through `@opentelemetry/api`. The API
 * is an optional peer, loaded only by importing this entry point.
 */
export { registerOpenTelemetry } from '../metrics/registerOpenTelemetry.js';
