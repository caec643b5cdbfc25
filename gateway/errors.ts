/**
 * The one error handler: every failure answers `{ error: { code, message, requestId } }` with a
 * code from the catalogue (core/errors.ts `ERROR_CODES`). An `AppError` answers its own status
 * and code; Fastify's and plugins' 4xx errors (validation, body limit, media type, rate limit)
 * answer the generic code of their status; anything else is a 500 `internal_error` whose details
 * (message, stack, cause) are logged with the request context and never sent.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, codeForStatus, type ErrorCode } from '../core/errors.ts';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string };
}

/** Status and catalogue code for any thrown value. */
export function classify(err: unknown): { status: number; code: ErrorCode } {
  if (err instanceof AppError) return { status: err.statusCode, code: err.code };
  const e = err as Partial<FastifyError> | undefined;
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return { status, code: 'internal_error' };
  // Path parameters are ids (gateway/schemas/common.ts IdParams): a malformed one is invalid_id.
  if (e?.validation && e.validationContext === 'params') return { status, code: 'invalid_id' };
  // Fastify's own errors (FST_*: validation, body limit, media type) and plugins' get the
  // generic code of their status; only an AppError chooses its code.
  return { status, code: codeForStatus(status) };
}

/** Answer an error in the one shape; 5xx are logged (with the request's context) and hidden. */
export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, code } = classify(err);
  if (status >= 500) {
    req.log.error({ err, method: req.method, url: req.url, requestId: req.id }, 'request failed');
    // An AppError's message was written for the caller (e.g. whatsapp_unavailable); anything
    // else may carry SQL, paths or secrets.
    const message = err instanceof AppError ? err.message : 'Internal server error';
    return reply.status(status).send({ error: { code, message, requestId: req.id } } satisfies ErrorBody);
  }
  const message = err instanceof Error ? err.message : String(err);
  return reply.status(status).send({ error: { code, message, requestId: req.id } } satisfies ErrorBody);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `Route ${req.method} ${req.url.split('?')[0]} not found`, requestId: req.id } } satisfies ErrorBody),
  );
}
