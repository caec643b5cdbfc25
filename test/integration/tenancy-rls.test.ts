/**
 * The isolation matrix, generated from the live schema so tables added by later migrations are
 * covered without touching this file: every public table with a tenant_id column (plus `tenants`
 * itself) must have RLS enabled and forced; acting as tenant A (role aizalo_app, app.tenant_id = A)
 * against tenant B's rows, SELECT sees nothing and INSERT/UPDATE/DELETE touch nothing or fail with
 * 42501; with no tenant set, the app role sees no rows at all. B's rows are built generically from
 * the catalog (test/helpers/seed-rows.ts), and a positive control proves they exist.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/pg.ts';
import { seedAll, tableInfo } from '../helpers/seed-rows.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let c: pg.Client;
let tables: string[] = [];
let seedErrors: Record<string, string> = {};
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** Run fn in a rolled-back transaction as the app role, tenant context `tenantId` ('' = none). */
async function as<T>(tenantId: string, fn: () => Promise<T>): Promise<T | { error: string; code: string }> {
  await c.query('begin');
  try {
    await c.query(`select set_config('app.tenant_id', $1, true), set_config('role', 'aizalo_app', true)`, [tenantId]);
    return await fn();
  } catch (err) {
    return { error: (err as Error).message, code: (err as { code: string }).code };
  } finally {
    await c.query('rollback');
  }
}
async function asPlatform<T>(fn: () => Promise<T>): Promise<T | { error: string; code: string }> {
  await c.query('begin');
  try {
    await c.query(`select set_config('app.platform', 'on', true), set_config('role', 'aizalo_app', true)`);
    return await fn();
  } catch (err) {
    return { error: (err as Error).message, code: (err as { code: string }).code };
  } finally {
    await c.query('rollback');
  }
}
const key = (t: string) => (t === 'tenants' ? 'id' : 'tenant_id');
/** Zero rows affected, or refused with insufficient_privilege (42501: RLS check or missing grant). */
const refused = (r: unknown) => (typeof r === 'number' ? r === 0 : (r as { code: string }).code === '42501');

beforeAll(async () => {
  db = await createTestDatabase();
  c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const r = await c.query<{ t: string }>(
    `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.relname = 'tenants' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
      order by 1`,
  );
  tables = r.rows.map((x) => x.t);
  for (const [id, slug] of [[A, 'rls-a'], [B, 'rls-b']])
    await c.query(`insert into tenants (id, slug, name, industry) values ($1, $2, $2, 'hotels')`, [id, slug]);
  seedErrors = await seedAll(c, tables, B);
  await seedAll(c, tables, A);
});
afterAll(async () => {
  await c?.end();
  await db?.drop();
});

describe('schema', () => {
  it('finds the tenant tables of every migration (at least the spine ones)', () => {
    expect(tables).toEqual(expect.arrayContaining(['tenants', 'tenant_users', 'channels', 'customers', 'conversations', 'messages', 'ai_usage', 'audit_log']));
  });

  it('has row-level security enabled and forced on every tenant table', async () => {
    const r = await c.query(`select relname, relrowsecurity, relforcerowsecurity from pg_class where relname = any($1) and relnamespace = 'public'::regnamespace`, [tables]);
    const missing = r.rows.filter((x) => !x.relrowsecurity || !x.relforcerowsecurity).map((x) => x.relname);
    expect(missing, 'tables without ENABLE + FORCE ROW LEVEL SECURITY').toEqual([]);
  });

  it('would catch a table that forgets RLS (self-check of the matrix)', async () => {
    await c.query(`create table rls_probe (id serial primary key, tenant_id uuid not null references tenants(id))`);
    await c.query(`grant select on rls_probe to aizalo_app`);
    await c.query(`insert into rls_probe (tenant_id) values ($1)`, [B]);
    try {
      const r = await c.query(`select relrowsecurity from pg_class where relname = 'rls_probe'`);
      expect(r.rows[0].relrowsecurity).toBe(false);
      const cross = await as(A, async () => (await c.query(`select count(*)::int n from rls_probe where tenant_id = $1`, [B])).rows[0].n);
      expect(refused(cross)).toBe(false);
    } finally {
      await c.query('drop table rls_probe');
    }
  });

  it('gives the app role no way around policies', async () => {
    const [role] = (await c.query(`select rolsuper, rolbypassrls from pg_roles where rolname = 'aizalo_app'`)).rows;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("seeded a row of tenant B's in every tenant table (so the matrix below is not vacuous)", () => {
    expect(seedErrors).toEqual({});
  });
});

describe('tenant A against tenant B, per table', () => {
  it('SELECT: B sees its rows; A sees none of them', async () => {
    const leaks: string[] = [];
    for (const t of tables) {
      // Control: B sees its own rows (or, for platform-only tables, the platform context does).
      const own = await as(B, async () => (await c.query(`select count(*)::int n from ${t} where ${key(t)} = $1`, [B])).rows[0].n);
      const platform = await asPlatform(async () => (await c.query(`select count(*)::int n from ${t} where ${key(t)} = $1`, [B])).rows[0].n);
      expect(own || platform, `control: tenant B's ${t} rows are visible to B or the platform`).toBeGreaterThan(0);
      const cross = await as(A, async () => (await c.query(`select count(*)::int n from ${t} where ${key(t)} is distinct from $1`, [A])).rows[0].n);
      if (!refused(cross)) leaks.push(`${t}: ${JSON.stringify(cross)}`);
    }
    expect(leaks).toEqual([]);
  });

  it("UPDATE and DELETE of B's rows affect nothing (or are refused)", async () => {
    const leaks: string[] = [];
    for (const t of tables) {
      const col = key(t);
      const upd = await as(A, async () => (await c.query(`update ${t} set ${col} = ${col} where ${col} = $1`, [B])).rowCount);
      const del = await as(A, async () => (await c.query(`delete from ${t} where ${col} = $1`, [B])).rowCount);
      // Moving A's own rows into B must fail the policy's WITH CHECK.
      const move = await as(A, async () => (await c.query(`update ${t} set ${col} = $1 where ${col} = $2`, [B, A])).rowCount);
      if (!refused(upd)) leaks.push(`${t} update: ${JSON.stringify(upd)}`);
      if (!refused(del)) leaks.push(`${t} delete: ${JSON.stringify(del)}`);
      if (!refused(move) && !(typeof move === 'object' && (move as { code: string }).code === '23505')) leaks.push(`${t} move: ${JSON.stringify(move)}`);
    }
    expect(leaks).toEqual([]);
  });

  it("INSERT of a row carrying B's tenant id is refused", async () => {
    const leaks: string[] = [];
    for (const t of tables) {
      const info = await tableInfo(c, t);
      const [row] = (await c.query(`select to_jsonb(x) j from ${t} x where ${key(t)} = $1 limit 1`, [B])).rows;
      // Copy B's row without generated/defaulted keys (fresh ids), tenant column kept = B.
      const cols = info.cols.filter((x) => !x.identity && !x.generated && (!x.hasDefault || x.name === key(t) || x.name === 'tenant_id')).map((x) => x.name);
      const list = cols.map((n) => `"${n}"`).join(', ');
      const r = await as(A, async () => (await c.query(`insert into ${t} (${list}) select ${list} from jsonb_populate_record(null::${t}, $1)`, [row.j])).rowCount);
      if (!(typeof r === 'object' && (r as { code: string }).code === '42501')) leaks.push(`${t}: ${JSON.stringify(r)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('with no tenant set, the app role sees no rows in any tenant table', async () => {
    const seen: string[] = [];
    for (const t of tables) {
      const n = await as('', async () => (await c.query(`select count(*)::int n from ${t}`)).rows[0].n);
      if (n !== 0 && !refused(n)) seen.push(`${t}: ${JSON.stringify(n)}`);
    }
    expect(seen).toEqual([]);
  });
});
