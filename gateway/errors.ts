/**
 * One error shape for every route: `{ error: { code, message, requestId } }`.
 * 4xx errors carry their message; 5xx details are logged with request context and hidden.
 */
import type { FastifyError, FastifyInstance } from 'fastify';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.status(status).send({ error: { code: 'internal_error', message: 'Internal server error', requestId: req.id } });
    }
    const code = err.validation ? 'bad_request' : err instanceof HttpError || (err.code && !err.code.startsWith('FST_')) ? err.code! : CODES[status] ?? 'error';
    return reply.status(status).send({ error: { code, message: err.message, requestId: req.id } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `Route ${req.method} ${req.url.split('?')[0]} not found`, requestId: req.id } }),
  );
}
