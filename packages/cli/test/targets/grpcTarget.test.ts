import { describe, expect, it } from 'vitest';
import { grpcTarget } from '../../src/targets/grpcTarget.js';
import { parseTarget } from '../../src/targets/parseTarget.js';
import type { GrpcTarget } from '../../src/targets/Target.js';

const read = (text: string, probe: 'liveness' | 'readiness' = 'liveness') =>
  grpcTarget(parseTarget(text, probe) as GrpcTarget);

describe('grpcTarget', () => {
  it('reads the host, the port, TLS and the service: the path, else the probe’s name', () => {
    expect(read('grpc://127.0.0.1:50051', 'readiness')).toEqual({
      host: '127.0.0.1',
      port: 50051,
      tls: false,
      service: 'readiness',
    });
    expect(read('grpcs://[::1]:443/readiness/db')).toEqual({
      host: '::1',
      port: 443,
      tls: true,
      service: 'readiness/db',
    });
    expect(read('GRPC://h:1/my%20svc')).toMatchObject({ service: 'my svc' });
  });

  it.each(['grpc://h', 'grpc://h:0/x', 'grpc://h:1/x?y', 'grpc://h:1/x#y', 'grpc://h:1/%zz'])(
    'refuses %s with a usage error',
    (text) => {
      expect(() => read(text)).toThrow(expect.objectContaining({ code: 'usage' }));
    },
  );
});
