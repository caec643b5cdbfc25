/**
 * The one UUID pattern (RFC 9562 text form, any version, either case). Route schemas
 * (gateway/schemas/common.ts), queue payload schemas and `isUuid` all use this string, so an id
 * the API accepts is an id the database and the queues accept.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_RE = new RegExp(UUID_PATTERN);

/** True for a canonical UUID string. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}
