/**
 * Response schemas derived from the Drizzle tables (core/db/schema), so an answer that returns
 * database rows is documented and serialised exactly as the services return them: one property
 * per column (camelCase key, JSON type from the column type, `null` allowed where the column is
 * nullable), timestamps as ISO 8601 strings, jsonb columns free-form. The static type is the
 * row type itself (`$inferSelect`), so the TypeBox provider checks handlers against it.
 * Secrets never leave through these: callers `omit` credential and hash columns, and the
 * serializer drops every property the schema does not name.
 */
import { OptionalKind, Type, type Static, type TObject, type TProperties, type TUnsafe } from '@sinclair/typebox';
import { getTableColumns, type Column, type InferSelectModel, type Table } from 'drizzle-orm';

type Json = Record<string, unknown>;

function columnSchema(c: Column): Json {
  const enumValues = (c as { enumValues?: string[] }).enumValues;
  let s: Json;
  switch (c.columnType) {
    case 'PgUUID':
      s = { type: 'string', format: 'uuid' };
      break;
    case 'PgTimestamp':
      s = { type: 'string', format: 'date-time' };
      break;
    case 'PgDateString':
      s = { type: 'string', format: 'date' };
      break;
    case 'PgInteger':
    case 'PgBigInt53':
      s = { type: 'integer' };
      break;
    case 'PgNumericNumber':
      s = { type: 'number' };
      break;
    case 'PgBoolean':
      s = { type: 'boolean' };
      break;
    case 'PgJsonb':
      // Free-form by design (profile, settings, audience, media): no type, kept whole.
      return { description: 'free-form JSON' };
    case 'PgVector':
      s = { type: 'array', items: { type: 'number' } };
      break;
    case 'PgArray':
      s = { type: 'array', items: { type: 'string' } };
      break;
    default:
      s = { type: c.dataType === 'number' ? 'number' : c.dataType === 'boolean' ? 'boolean' : 'string' };
  }
  if (enumValues?.length && s.type === 'string') s.enum = c.notNull ? [...enumValues] : [...enumValues, null];
  if (!c.notNull) s.type = [s.type as string, 'null'];
  return s;
}

/**
 * The JSON schema of one table's select row.
 * @param omit columns left out (secrets, tenant ids the caller already knows, large bodies)
 * @param extra properties added by the service on top of the row (TypeBox schemas)
 */
export function rowSchema<T extends Table, O extends keyof InferSelectModel<T> = never, E extends TProperties = Record<never, never>>(
  table: T,
  opts: { omit?: readonly O[]; extra?: E; title?: string } = {},
): TUnsafe<Omit<InferSelectModel<T>, O> & Static<TObject<E>>> {
  const properties: Record<string, Json> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) if (!(opts.omit as readonly string[] | undefined)?.includes(key)) properties[key] = columnSchema(col);
  const extra = opts.extra ?? ({} as E);
  for (const [key, s] of Object.entries(extra)) properties[key] = s as unknown as Json;
  const required = Object.keys(properties).filter((k) => !(k in extra) || (extra[k] as { [OptionalKind]?: string })[OptionalKind] !== 'Optional');
  return Type.Unsafe({ type: 'object', properties, required, ...(opts.title ? { title: opts.title } : {}) });
}
