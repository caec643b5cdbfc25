/**
 * Cross-tenant sweep over the tenant API: for every registered /api/tenant route with an id in
 * its path, tenant A's owner asks for tenant B's real row (seeded generically from the catalog
 * for every tenant table) and must get 404 — never the row, never a change, never a hint that it
 * exists. New routes are covered automatically when their path segment names their table.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { signedIn } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { seedAll } from '../helpers/seed-rows.ts';

let h: Harness;
let A: TestTenant;
let B: TestTenant;
let ownerA: Awaited<ReturnType<typeof signedIn>>;
let c: pg.Client;

/** Path segment after /api/tenant/ (and a sub-segment) → the table whose id the route takes. */
const TABLE_FOR: Array<[RegExp, string]> = [
  [/^\/api\/tenant\/content\/requests\/:id/, 'content_requests'],
  [/^\/api\/tenant\/content\/:id/, 'content_items'],
  [/^\/api\/tenant\/knowledge\/:id/, 'kb_documents'],
  [/^\/api\/tenant\/prices\/:id/, 'price_rules'],
  [/^\/api\/tenant\/users\/:id/, 'tenant_users'],
  [/^\/api\/tenant\/([a-z_]+)\/:id/, '$1'],
];

function tableFor(url: string): string | undefined {
  for (const [re, table] of TABLE_FOR) {
    const m = re.exec(url);
    if (m) return table.replace('$1', m[1] ?? '');
  }
  return undefined;
}

/** A body that passes validation for the known write routes, so the id check is what answers. */
function bodyFor(method: string, url: string): unknown {
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (url.endsWith('/messages')) return { text: 'hello from another tenant' };
  if (url.endsWith('/assign')) return { userId: ownerA.cred.id };
  if (method === 'PATCH' && url.startsWith('/api/tenant/customers/')) return { name: 'Renamed by A' };
  if (method === 'PATCH' && url.startsWith('/api/tenant/leads/')) return { notes: 'touched by A' };
  if (method === 'PATCH' && url.startsWith('/api/tenant/resources/')) return { name: 'Renamed by A' };
  return {};
}

beforeAll(async () => {
  h = await startHarness();
  [A, B] = [await h.tenant(), await h.tenant()];
  ownerA = await signedIn(h, { tenantId: A.tenant.id, role: 'owner' });
  c = new pg.Client({ connectionString: h.rt.cfg.databaseUrl });
  await c.connect();
  const r = await c.query<{ t: string }>(
    `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`,
  );
  await seedAll(c, r.rows.map((x) => x.t), B.tenant.id);
});
afterAll(async () => {
  await c?.end();
  await h?.close();
});

describe("another tenant's ids on every /api/tenant/...:id route", () => {
  it('answer 404 and change nothing', async () => {
    const routes = h.rt.app!.apiRoutes.filter((r) => r.url.startsWith('/api/tenant/') && r.url.includes(':'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const checked: string[] = [];
    for (const r of routes) {
      const table = tableFor(r.url);
      const exists = table && (await c.query(`select to_regclass($1) as t`, [`public.${table}`])).rows[0].t;
      expect(exists, `${r.method} ${r.url}: no table "${table}" for its id — extend TABLE_FOR`).toBeTruthy();
      const before = await c.query(`select md5(string_agg(t::text, ',' order by t::text)) as h from ${table} t where tenant_id = $1`, [B.tenant.id]);
      const row = await c.query(`select id from ${table} where tenant_id = $1 limit 1`, [B.tenant.id]);
      expect(row.rows[0], `tenant B has a ${table} row`).toBeTruthy();
      const url = r.url.replace(':id', row.rows[0].id);
      const res = await api(h, r.method, url, { headers: ownerA.headers, body: bodyFor(r.method, r.url) });
      expect(res.status, `${r.method} ${r.url} with tenant B's ${table} id`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(B.tenant.id);
      const after = await c.query(`select md5(string_agg(t::text, ',' order by t::text)) as h from ${table} t where tenant_id = $1`, [B.tenant.id]);
      expect(after.rows[0].h, `${r.method} ${r.url} changed tenant B's ${table}`).toBe(before.rows[0].h);
      checked.push(`${r.method} ${r.url}`);
    }
    expect(checked).toContain('GET /api/tenant/conversations/:id');
    expect(checked).toContain('POST /api/tenant/conversations/:id/takeover');
  });
});
