/**
 * Generic row seeding for schema-driven tests: insert one plausible row into any table for a given
 * tenant, built only from the catalog (column types, NOT NULL, defaults, CHECK … IN lists, foreign
 * keys). Runs as the owner connection (a superuser, so RLS does not apply). Tables are seeded in
 * dependency order by retrying until no more progress is made.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

interface Col {
  name: string;
  type: string; // format_type, e.g. 'vector(768)', 'bigint', 'text[]'
  notNull: boolean;
  hasDefault: boolean;
  identity: boolean;
  generated: boolean;
}
interface Fk {
  cols: string[];
  refTable: string;
  refCols: string[];
}

export interface TableInfo {
  name: string;
  cols: Col[];
  fks: Fk[];
  checks: string[];
  hasTenantId: boolean;
}

/** Catalog facts about one public table. */
export async function tableInfo(c: pg.Client, table: string): Promise<TableInfo> {
  const cols = await c.query(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
            a.atthasdef as "hasDefault", a.attidentity <> '' as identity, a.attgenerated <> '' as generated
       from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [table],
  );
  const fks = await c.query(
    `select (select array_agg(a.attname order by k.i) from unnest(con.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as cols,
            con.confrelid::regclass::text as "refTable",
            (select array_agg(a.attname order by k.i) from unnest(con.confkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as "refCols"
       from pg_constraint con where con.conrelid = $1::regclass and con.contype = 'f'`,
    [table],
  );
  const checks = await c.query(`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and contype = 'c'`, [table]);
  return {
    name: table,
    cols: cols.rows,
    fks: fks.rows.map((r) => ({ cols: parseArr(r.cols), refTable: r.refTable, refCols: parseArr(r.refCols) })),
    checks: checks.rows.map((r) => r.def as string),
    hasTenantId: cols.rows.some((r) => r.name === 'tenant_id'),
  };
}
const parseArr = (v: unknown): string[] => (Array.isArray(v) ? v : String(v).replace(/[{}]/g, '').split(','));

const rand = () => randomBytes(5).toString('hex');

/** A literal SQL expression for a column that has no FK and no default. */
function valueFor(col: Col, checks: string[]): string {
  const inList = checks
    .map((d) => d.match(new RegExp(`\\(?${col.name}\\)?(?:::text)? = ANY \\(+ARRAY\\[(.+?)\\]`)) ?? d.match(new RegExp(`${col.name} IN \\((.+?)\\)`)))
    .find(Boolean);
  if (inList) return inList[1]!.split(',')[0]!.trim().replace(/::text$/, '').replace(/::[a-z ]+$/, '');
  const t = col.type;
  const vec = t.match(/^vector\((\d+)\)$/);
  if (vec) return `'[${Array(Number(vec[1])).fill('0.1').join(',')}]'`;
  if (t === 'vector') return `'[0.1,0.1,0.1]'`;
  if (t.endsWith('[]')) return `'{}'`;
  if (t === 'uuid') return 'gen_random_uuid()';
  if (/^(integer|bigint|smallint|numeric|real|double)/.test(t)) return '1';
  if (t === 'boolean') return 'false';
  if (t.startsWith('timestamp')) return 'now()';
  if (t === 'date') return 'current_date';
  if (t === 'jsonb' || t === 'json') return `'{}'`;
  if (t === 'tstzrange') return `tstzrange(now(), now() + interval '1 hour')`;
  if (t === 'daterange') return `daterange(current_date, current_date + 1)`;
  if (t === 'bytea') return `'\\x00'`;
  if (t === 'tsvector') return `''`;
  if (t === 'inet') return `'127.0.0.1'`;
  if (/phone|msisdn|address|jid|number/.test(col.name)) return `'+2547${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}'`;
  if (/email/.test(col.name)) return `'${rand()}@example.test'`;
  if (/month/.test(col.name)) return `'2026-01'`;
  if (/slug/.test(col.name)) return `'s-${rand()}'`;
  return `'seed-${rand()}'`;
}

/**
 * Insert one row into `table` for `tenantId` (when the table has tenant_id).
 * @returns null on success, or the database error message.
 */
export async function seedRow(c: pg.Client, info: TableInfo, tenantId: string): Promise<string | null> {
  const names: string[] = [];
  const values: string[] = [];
  const done = new Set<string>();
  if (info.hasTenantId) {
    names.push('tenant_id');
    values.push(`'${tenantId}'`);
    done.add('tenant_id');
  }
  for (const fk of info.fks) {
    const open = fk.cols.filter((c2) => !done.has(c2));
    if (!open.length) continue;
    const needed = fk.cols.some((n) => info.cols.find((c2) => c2.name === n)?.notNull && !info.cols.find((c2) => c2.name === n)?.hasDefault);
    if (!needed) continue;
    const refInfo = await tableInfo(c, fk.refTable);
    const where = refInfo.hasTenantId && fk.refTable !== info.name ? `where tenant_id = '${tenantId}'` : fk.refTable === 'tenants' ? `where id = '${tenantId}'` : '';
    const pick = () => c.query(`select ${fk.refCols.map((x) => `"${x}"`).join(', ')} from ${fk.refTable} ${where} limit 1`);
    let r = await pick();
    // A platform-level table (no tenant_id, e.g. platform_users) gets a row of its own on demand.
    if (!r.rows[0] && !refInfo.hasTenantId && fk.refTable !== 'tenants' && fk.refTable !== info.name) {
      const err = await seedRow(c, refInfo, tenantId);
      if (err) return `${fk.refTable}: ${err}`;
      r = await pick();
    }
    if (!r.rows[0]) return `no row in ${fk.refTable} to reference yet`;
    fk.cols.forEach((col, i) => {
      if (done.has(col)) return;
      names.push(col);
      const v = r.rows[0][fk.refCols[i]!];
      values.push(v === null ? 'NULL' : `'${(v instanceof Date ? v.toISOString() : String(v)).replace(/'/g, "''")}'`);
      done.add(col);
    });
  }
  for (const col of info.cols) {
    if (done.has(col.name) || !col.notNull || col.hasDefault || col.identity || col.generated) continue;
    names.push(col.name);
    values.push(valueFor(col, info.checks));
  }
  try {
    await c.query(`insert into ${info.name} (${names.map((n) => `"${n}"`).join(', ')}) values (${values.join(', ')})`);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Seed every table until each has a row for the tenant; @returns tables that could not be seeded, with the last error. */
export async function seedAll(c: pg.Client, tables: string[], tenantId: string): Promise<Record<string, string>> {
  const infos: TableInfo[] = [];
  for (const t of tables) infos.push(await tableInfo(c, t)); // one client: one query at a time
  const has = async (i: TableInfo) =>
    (await c.query(`select 1 from ${i.name} ${i.hasTenantId ? `where tenant_id = '${tenantId}'` : i.name === 'tenants' ? `where id = '${tenantId}'` : ''} limit 1`)).rowCount! > 0;
  let pending = [] as TableInfo[];
  for (const i of infos) if (!(await has(i))) pending.push(i);
  const errors: Record<string, string> = {};
  for (let round = 0; round < 8 && pending.length; round++) {
    const next: TableInfo[] = [];
    for (const i of pending) {
      const err = await seedRow(c, i, tenantId);
      if (err) {
        errors[i.name] = err;
        next.push(i);
      } else delete errors[i.name];
    }
    if (next.length === pending.length) break;
    pending = next;
  }
  return errors;
}
