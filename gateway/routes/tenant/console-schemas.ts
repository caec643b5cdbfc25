/**
 * TypeBox pieces shared by the console's setup routes (profile, hours, onboarding, knowledge
 * admin, bookings/resources admin, channel admin, playground): the one error shape, id params
 * and the cursor page query (`?limit=` default 50, max 200; `?cursor=` opaque).
 */
import { Type, type TSchema } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String() }) },
  { $id: undefined, description: 'The one error shape: { error: { code, message, requestId } }' },
);

/** Response schemas for the error statuses a route can answer, plus its success answers. */
export function responses<T extends Record<number, TSchema>>(ok: T, errors: number[] = [400, 401, 403, 404]): T & Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...ok };
  for (const s of errors) out[s] = ErrorBody;
  return out as T & Record<number, TSchema>;
}

export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const IdParam = Type.Object({ id: Uuid });
export const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description: 'HH:MM wall clock' });
export const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

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
