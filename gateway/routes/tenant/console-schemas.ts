/**
 * TypeBox pieces shared by the console's setup routes (profile, hours, onboarding, knowledge
 * admin, bookings/resources admin, channel admin, playground): the one error shape, id params
 * and the cursor page query (`?limit=` default 50, max 200; `?cursor=` opaque).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { IdParams, Nullable, Uuid, withErrors } from '../../schemas/common.ts';

export { Nullable, Uuid };
export const IdParam = IdParams;

/**
 * Success responses plus the shared error schema (gateway/schemas/common.ts `withErrors`: 4xx and
 * 5xx answer `{ error: { code, message, requestId } }` with `code` from the catalogue).
 * `_statuses` documents, at the call site, which error statuses the route answers.
 */
export function responses<T extends Record<number, TSchema>>(ok: T, _statuses: number[] = [400, 401, 403, 404]) {
  return withErrors(ok);
}

export const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description: 'HH:MM wall clock' });
export const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 date-time' });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

/** Opaque keyset cursor: base64url of JSON [sortKey, id]. @returns undefined when malformed. */
export const encodeCursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
export function decodeCursor(c: string | undefined): [string, string] | undefined {
  if (!c) return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') ? (v as [string, string]) : undefined;
  } catch {
    return undefined;
  }
}
