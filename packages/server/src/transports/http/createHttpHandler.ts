import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback } from '../net/isLoopback.js';
import type { HttpResponder } from './createHttpResponder.js';

/** Serves a health path on an application's own `node:http` server; returns false for other paths. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The HTTP endpoints as a request handler for the application's own server (node:http,
 * Express, Fastify's raw request). It answers a health path and returns true, or returns false
 * at once and leaves the request to the application.
 */
export function createHttpHandler(respond: HttpResponder, details: boolean): HttpHandler {
  return (req, res) => {
    const pending = respond({
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      header: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      details: details || isLoopback(req.socket?.remoteAddress),
    });
    if (!pending) return false;
    void pending.then(
      (response) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(response.status, {
          ...response.headers,
          'Content-Length': String(Buffer.byteLength(response.body)),
        });
        res.end(req.method === 'HEAD' ? undefined : response.body);
      },
      () => res.destroy(),
    );
    return true;
  };
}
