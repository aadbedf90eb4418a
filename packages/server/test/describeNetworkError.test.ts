import { expect, it } from 'vitest';
import { describeNetworkError } from '../src/checks/describeNetworkError.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.7:5672`), { code });

it('names what went wrong in words, with the host as configured', () => {
  expect(describeNetworkError(withCode('ENOTFOUND'), 'rabbitmq', 'rabbitmq:5672')).toBe(
    'cannot resolve rabbitmq: no such host (ENOTFOUND)',
  );
  expect(describeNetworkError(withCode('ECONNREFUSED'), 'rabbitmq', 'rabbitmq:5672')).toBe(
    'connection refused by rabbitmq:5672: nothing listens there (ECONNREFUSED)',
  );
  expect(describeNetworkError(withCode('ECONNRESET'), 'rabbitmq', 'rabbitmq:5672')).toMatch(
    /^connection reset by rabbitmq:5672/,
  );
  expect(describeNetworkError(withCode('EHOSTUNREACH'), 'rabbitmq', 'rabbitmq:5672')).toBe(
    'no route to rabbitmq:5672 (EHOSTUNREACH)',
  );
  expect(describeNetworkError(new Error('socket hang up'), 'api', 'api:80')).toBe('api:80: socket hang up');
  expect(describeNetworkError('odd', 'api', 'api:80')).toBe('api:80: odd');
});
