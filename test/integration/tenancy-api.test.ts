/**
 * Tenant API over HTTP: customers and settings (happy path, missing auth, wrong role, another
 * tenant's id → 404, malformed id → 400, audit entries), plus a sweep over every registered
 * /api/tenant and /api/admin route (including other areas' routes): signed out → 401, wrong kind of
 * user → 403, before any body validation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { signedIn, type Session } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';

let h: Harness;
let A: TestTenant;
let B: TestTenant;
const s: Record<string, Session & { cred: { id: string } }> = {};
let custA: string;
let custB: string;

async function seedCustomer(t: TestTenant, name: string): Promise<string> {
  const [c] = await h.rt.db.query<{ id: string }>(
    `insert into customers (tenant_id, handle, phone, name) values ($1, $2, $2, $3) returning id`,
    [t.tenant.id, `+2547${Math.floor(Math.random() * 1e8)}`, name],
  );
  const [ch] = await h.rt.db.query<{ id: string }>(`select id from channels where tenant_id = $1 limit 1`, [t.tenant.id]);
  await h.rt.db.query(`insert into conversations (tenant_id, customer_id, channel_id) values ($1, $2, $3)`, [t.tenant.id, c!.id, ch!.id]);
  return c!.id;
}
const audits = (tenantId: string, action: string) =>
  h.rt.db.query<any>(`select * from audit_log where tenant_id = $1 and action = $2 order by id`, [tenantId, action]);

beforeAll(async () => {
  h = await startHarness();
  [A, B] = [await h.tenant({ profile: { description: 'Lakeside hotel', prices: 'Room KES 9,500' } }), await h.tenant()];
  custA = await seedCustomer(A, 'Wanjiku A');
  custB = await seedCustomer(B, 'Otieno B');
  for (const role of ['viewer', 'staff', 'admin', 'owner'] as const) s[role] = await signedIn(h, { tenantId: A.tenant.id, role });
  s.support = await signedIn(h, { platformRole: 'support' });
});
afterAll(async () => h?.close());

describe('every /api/tenant and /api/admin route', () => {
  const routes = () => h.rt.app!.apiRoutes.filter((r) => /^\/api\/(tenant|admin)\//.test(r.url));
  const fill = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());

  it('is registered (sanity) and answers 401 when signed out, even with a bad body', async () => {
    expect(routes().length).toBeGreaterThanOrEqual(9);
    for (const r of routes()) {
      const res = await api(h, r.method, fill(r.url), { body: ['GET', 'DELETE'].includes(r.method) ? undefined : { nonsense: true } });
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('answers 403 to a platform user on tenant routes and to a tenant owner on admin routes', async () => {
    for (const r of routes()) {
      const who = r.url.startsWith('/api/tenant/') ? s.support! : s.owner!;
      const res = await api(h, r.method, fill(r.url), { headers: who.headers, body: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      expect(res.status, `${r.method} ${r.url}`).toBe(403);
    }
  });
});

describe('customers', () => {
  it("lists only the caller's tenant's customers, with search", async () => {
    const res = await api(h, 'GET', '/api/tenant/customers', { headers: s.viewer!.headers });
    expect(res.status).toBe(200);
    expect(res.body.customers.map((c: any) => c.id)).toEqual([custA]);
    const miss = await api(h, 'GET', '/api/tenant/customers?q=Otieno', { headers: s.viewer!.headers });
    expect(miss.body.customers).toEqual([]);
    const hit = await api(h, 'GET', '/api/tenant/customers?q=wanj', { headers: s.viewer!.headers });
    expect(hit.body.customers).toHaveLength(1);
  });

  it('shows a customer with its conversations; 404 for another tenant, 400 for a malformed id', async () => {
    const ok = await api(h, 'GET', `/api/tenant/customers/${custA}`, { headers: s.viewer!.headers });
    expect(ok.status).toBe(200);
    expect(ok.body.customer).toMatchObject({ id: custA, name: 'Wanjiku A' });
    expect(ok.body.conversations).toHaveLength(1);
    const cross = await api(h, 'GET', `/api/tenant/customers/${custB}`, { headers: s.owner!.headers });
    expect(cross.status).toBe(404);
    expect(JSON.stringify(cross.body)).not.toContain('Otieno');
    expect((await api(h, 'GET', `/api/tenant/customers/${randomUUID()}`, { headers: s.owner!.headers })).status).toBe(404);
    const bad = await api(h, 'GET', '/api/tenant/customers/not-a-uuid', { headers: s.owner!.headers });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_id');
  });

  it('lets staff update a customer (audited); viewers get 403; other tenants 404', async () => {
    const ok = await api(h, 'PATCH', `/api/tenant/customers/${custA}`, { headers: s.staff!.headers, body: { name: 'Wanjiku M.', languagePreference: 'sw', profile: { vip: true } } });
    expect(ok.status).toBe(200);
    expect(ok.body.customer).toMatchObject({ name: 'Wanjiku M.', languagePreference: 'sw', profile: { vip: true } });
    expect(await audits(A.tenant.id, 'customer.update')).toEqual([expect.objectContaining({ actor_id: s.staff!.cred.id, target: custA })]);
    expect((await api(h, 'PATCH', `/api/tenant/customers/${custA}`, { headers: s.viewer!.headers, body: { name: 'x' } })).status).toBe(403);
    expect((await api(h, 'PATCH', `/api/tenant/customers/${custB}`, { headers: s.admin!.headers, body: { name: 'x' } })).status).toBe(404);
    expect((await api(h, 'PATCH', `/api/tenant/customers/${custA}`, { headers: s.staff!.headers, body: { languagePreference: 'fr' } })).status).toBe(400);
    const [b] = await h.rt.db.query<any>('select name from customers where id = $1', [custB]);
    expect(b.name).toBe('Otieno B');
  });
});

describe('settings', () => {
  it("reads the caller's tenant profile", async () => {
    const res = await api(h, 'GET', '/api/tenant/settings', { headers: s.viewer!.headers });
    expect(res.status).toBe(200);
    expect(res.body.tenant).toMatchObject({ id: A.tenant.id, slug: A.tenant.slug, profile: { description: 'Lakeside hotel' } });
  });

  it('lets an admin change hours and prices, merging the profile and auditing both', async () => {
    const res = await api(h, 'PATCH', '/api/tenant/settings', { headers: s.admin!.headers, body: { profile: { hours: '08:00-22:00', prices: 'Room KES 10,500' } } });
    expect(res.status).toBe(200);
    expect(res.body.tenant.profile).toEqual({ description: 'Lakeside hotel', hours: '08:00-22:00', prices: 'Room KES 10,500' });
    expect(await audits(A.tenant.id, 'settings.update')).toHaveLength(1);
    expect(await audits(A.tenant.id, 'prices.update')).toEqual([expect.objectContaining({ data: { from: 'Room KES 9,500', to: 'Room KES 10,500' } })]);
    const [b] = await h.rt.db.query<any>('select profile from tenants where id = $1', [B.tenant.id]);
    expect(b.profile).toEqual({});
  });

  it('refuses staff and viewers (403) and malformed patches (400) without writing', async () => {
    for (const who of [s.staff!, s.viewer!])
      expect((await api(h, 'PATCH', '/api/tenant/settings', { headers: who.headers, body: { name: 'Hijacked' } })).status).toBe(403);
    expect((await api(h, 'PATCH', '/api/tenant/settings', { headers: s.owner!.headers, body: { profile: { languages: ['fr'] } } })).status).toBe(400);
    expect((await api(h, 'PATCH', '/api/tenant/settings', { headers: s.owner!.headers, body: {} })).status).toBe(400);
    const [a] = await h.rt.db.query<any>('select name from tenants where id = $1', [A.tenant.id]);
    expect(a.name).toBe(A.tenant.name);
  });
});
