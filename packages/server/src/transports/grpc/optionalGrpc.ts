// The code of the gRPC transport and of the grpc-js adapter's calls: one module, loaded with
// import() only when `grpc` is configured or the adapter answers its first call, so that a
// worker without gRPC never parses it (nor loads node:http2).
export { createGrpcHealth } from './createGrpcHealth.js';
export { createGrpcTransport } from './createGrpcTransport.js';
export { serveGrpcJsCall } from './serveGrpcJsCall.js';
// It also carries the other optional transports, although a gRPC worker may not use them: with
// every module the main import shares with either of them reached from both, esbuild keeps that
// shared code in one chunk, and the main import still loads that one file, not three.
export * from '../optionalTransports.js';
