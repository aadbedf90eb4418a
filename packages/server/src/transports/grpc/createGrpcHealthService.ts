/**
 * A call of a unary or server-streaming method as `@grpc/grpc-js` hands it to a handler: only
 * what healthsock uses, so that no grpc-js types or code are needed to describe it.
 */
export interface GrpcJsCall {
  /** The request message, left as bytes by the service's deserializer. */
  readonly request: Buffer;
  getDeadline(): Date | number;
  getPeer(): string;
}

/** A server-streaming call (`Watch`). */
export interface GrpcJsStreamingCall extends GrpcJsCall {
  write(message: Buffer): boolean;
  /** grpc-js ends a server stream with a status when it is emitted as an `error`. */
  emit(event: 'error', status: { code: number; details: string }): boolean;
  on(event: 'cancelled' | 'close' | 'error', listener: () => void): unknown;
}

/** The status a unary handler ends a call with. */
export type GrpcJsCallback = (error: { code: number; details: string } | null, value?: Buffer) => void;

/** One method, in the shape of grpc-js's `MethodDefinition`. */
export interface GrpcJsMethodDefinition {
  path: string;
  requestStream: false;
  responseStream: boolean;
  originalName: string;
  requestSerialize(value: Buffer): Buffer;
  requestDeserialize(bytes: Buffer): Buffer;
  responseSerialize(value: Buffer): Buffer;
  responseDeserialize(bytes: Buffer): Buffer;
}

/**
 * `grpc.health.v1.Health` for an application's own `@grpc/grpc-js` server:
 * `server.addService(health.grpcHealthService.definition, health.grpcHealthService.implementation)`.
 * Messages are bytes at this boundary; healthsock encodes and decodes them itself.
 */
export interface GrpcHealthService {
  readonly definition: {
    readonly Check: GrpcJsMethodDefinition;
    readonly Watch: GrpcJsMethodDefinition;
    readonly List: GrpcJsMethodDefinition;
  };
  readonly implementation: {
    readonly Check: (call: GrpcJsCall, callback: GrpcJsCallback) => void;
    readonly Watch: (call: GrpcJsStreamingCall) => void;
    readonly List: (call: GrpcJsCall, callback: GrpcJsCallback) => void;
  };
}

/** The method a call asks for, as the lazily loaded code serves it. */
export type GrpcJsServe = (
  method: 'check' | 'watch' | 'list',
  call: GrpcJsCall | GrpcJsStreamingCall,
  callback: GrpcJsCallback | undefined,
) => void;

const asIs = (bytes: Buffer): Buffer => bytes;

/**
 * The service's definition and handlers. Only this stays in the main module: the handlers load
 * the code that answers them at their first call, so a worker that never gets one never parses it.
 */
export function createGrpcHealthService(serve: GrpcJsServe): GrpcHealthService {
  const method = (name: string, responseStream: boolean): GrpcJsMethodDefinition => ({
    path: `/grpc.health.v1.Health/${name}`,
    requestStream: false,
    responseStream,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
    requestSerialize: asIs,
    requestDeserialize: asIs,
    responseSerialize: asIs,
    responseDeserialize: asIs,
  });
  return {
    definition: { Check: method('Check', false), Watch: method('Watch', true), List: method('List', false) },
    implementation: {
      Check: (call, callback) => serve('check', call, callback),
      Watch: (call) => serve('watch', call, undefined),
      List: (call, callback) => serve('list', call, callback),
    },
  };
}
