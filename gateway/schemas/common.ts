/**
 * TypeBox pieces every route shares: the one UUID schema (core/uuid.ts pattern), `IdParams`,
 * pagination, ISO date-times, and the error answer `{ error: { code, message, requestId } }`
 * whose `code` is the enum of the catalogue in core/errors.ts. `withErrors(...)` adds the error
 * schema for 4xx/5xx to a route's success responses, so every route documents both.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_CODE_LIST } from '../../core/errors.ts';
import { UUID_PATTERN } from '../../core/uuid.ts';

export { AppError, notFound } from '../../core/errors.ts';

/** A UUID string (any version). A malformed id in `params` answers 400 `invalid_id`. */
export const Uuid = Type.String({ pattern: UUID_PATTERN, description: 'UUID' });
/** `/:id` path parameters. */
export const IdParams = Type.Object({ id: Uuid });

/**
 * An ISO 8601 date-time in answers. Services hand back `Date`s (Drizzle timestamps); the
 * serializer writes them with toISOString, so the static type admits both.
 */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
/** An ISO 8601 date-time in requests (validated as a string). */
export const DateTimeInput = Type.String({ format: 'date-time' });
/** A calendar date `YYYY-MM-DD`. */
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Free-form JSON object (jsonb profile/settings/metadata): documented as an object, kept whole. */
export const JsonObject = Type.Record(Type.String(), Type.Unknown(), { description: 'free-form JSON object' });
/** Who owns a conversation. */
export const Owner = Type.Union([Type.Literal('ai'), Type.Literal('human'), Type.Literal('unassigned')]);
export const Language = Type.Union([Type.Literal('en'), Type.Literal('sw'), Type.Literal('sheng')]);

/** `?limit&offset` for lists (limit 1..max, offset ≥ 0). */
export const pagination = (max = 200) => ({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: max })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

/** The one error answer. `code` is one of core/errors.ts ERROR_CODES. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(ERROR_CODE_LIST.map((c) => Type.Literal(c)), { description: 'catalogue code (README "Error codes")' }),
      message: Type.String(),
      requestId: Type.String(),
    }),
  },
  { title: 'ErrorResponse' },
);

/** No body (204): `type: 'null'` is what @fastify/swagger documents as a response without content. */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'No content' });

/** Success responses plus the shared error schema for every 4xx and 5xx answer. */
export function withErrors<R extends Record<number, TSchema>>(ok: R): R & { '4xx': typeof ErrorResponse; '5xx': typeof ErrorResponse } {
  return { ...ok, '4xx': ErrorResponse, '5xx': ErrorResponse };
}
