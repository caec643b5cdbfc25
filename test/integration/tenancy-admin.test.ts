/**
 * Platform API over HTTP: tenants list/detail/suspend/restore with role scoping (sales sees only
 * assigned tenants, support reads only), time-boxed audited view-as-tenant (expiry via the
 * controllable auth clock), and suspension end to end: a suspended tenant's SMS is stored, gets no
 * AI reply, staff are notified, and its users cannot sign in. Plus per-tenant webhook limits.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createTenantUser, loginAs, signedIn, type Session } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import type { LiveEvent } from '../../core/events.ts';

let h: Harness;
let A: TestTenant;
let B: TestTenant;
const s: Record<string, Session & { cred: { id: string } }> = {};

beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_WEBHOOK_PER_TENANT: '4' } });
  for (const role of ['owner', 'admin', 'sales', 'support'] as const) s[role] = await signedIn(h, { platformRole: role });
  A = await h.tenant({ assignedSalesRepId: s.sales!.cred.id });
  B = await h.tenant();
  s.tenantOwner = await signedIn(h, { tenantId: A.tenant.id, role: 'owner' });
});
afterAll(async () => h?.close());

const ids = (r: any) => r.body.tenants.map((t: any) => t.id);

describe('tenants list and detail', () => {
  it('shows every tenant to owner, admin and support; only assigned ones to a sales rep', async () => {
    for (const who of ['owner', 'admin', 'support']) {
      const r = await api(h, 'GET', '/api/admin/tenants', { headers: s[who]!.headers });
      expect(r.status, who).toBe(200);
      expect(ids(r)).toEqual(expect.arrayContaining([A.tenant.id, B.tenant.id]));
    }
    const r = await api(h, 'GET', '/api/admin/tenants', { headers: s.sales!.headers });
    expect(ids(r)).toEqual([A.tenant.id]);
    const q = await api(h, 'GET', `/api/admin/tenants?q=${B.tenant.slug}`, { headers: s.owner!.headers });
    expect(ids(q)).toEqual([B.tenant.id]);
  });

  it('shows detail with counts; 404 out of scope or unknown, 400 malformed, 401 signed out, 403 tenant user', async () => {
    const ok = await api(h, 'GET', `/api/admin/tenants/${A.tenant.id}`, { headers: s.sales!.headers });
    expect(ok.status).toBe(200);
    expect(ok.body.tenant.slug).toBe(A.tenant.slug);
    expect(ok.body.counts).toMatchObject({ users: 1, channels: 3 });
    expect((await api(h, 'GET', `/api/admin/tenants/${B.tenant.id}`, { headers: s.sales!.headers })).status).toBe(404);
    expect((await api(h, 'GET', `/api/admin/tenants/${randomUUID()}`, { headers: s.owner!.headers })).status).toBe(404);
    expect((await api(h, 'GET', '/api/admin/tenants/123', { headers: s.owner!.headers })).status).toBe(400);
    expect((await api(h, 'GET', `/api/admin/tenants/${A.tenant.id}`)).status).toBe(401);
    expect((await api(h, 'GET', `/api/admin/tenants/${A.tenant.id}`, { headers: s.tenantOwner!.headers })).status).toBe(403);
  });
});

describe('suspend and restore', () => {
  it('is refused to support and sales (403) and to out-of-scope ids (404/400)', async () => {
    for (const who of ['support', 'sales'])
      expect((await api(h, 'POST', `/api/admin/tenants/${A.tenant.id}/suspend`, { headers: s[who]!.headers, body: {} })).status).toBe(403);
    expect((await api(h, 'POST', `/api/admin/tenants/${randomUUID()}/suspend`, { headers: s.admin!.headers, body: {} })).status).toBe(404);
    expect((await api(h, 'POST', '/api/admin/tenants/x/suspend', { headers: s.admin!.headers, body: {} })).status).toBe(400);
    const [t] = await h.rt.db.query<any>('select status from tenants where id = $1', [A.tenant.id]);
    expect(t.status).toBe('active');
  });

  it('suspends: users cannot sign in, SMS is stored without AI reply and staff are notified; restore undoes it', async () => {
    const events: LiveEvent[] = [];
    const off = await h.rt.bus.subscribe(`tenant:${A.tenant.id}`, (e) => events.push(e));
    const staff = await createTenantUser(h, A.tenant.id, 'staff');
    const r = await api(h, 'POST', `/api/admin/tenants/${A.tenant.id}/suspend`, { headers: s.admin!.headers, body: { reason: 'unpaid' } });
    expect(r.status).toBe(200);
    expect(r.body.tenant.status).toBe('suspended');
    await expect(loginAs(h, staff)).rejects.toThrow(/403.*suspended/);
    expect((await api(h, 'GET', '/api/tenant/settings', { headers: s.tenantOwner!.headers })).status).toBe(403);

    h.gemini.reset();
    h.twilio.reset();
    expect((await h.twilioSms(A, '+254700000077', 'Are you open?')).status).toBe(200);
    const msg = await h.until(async () => {
      const [m] = await h.rt.db.query<any>(`select status from messages where tenant_id = $1 and direction = 'inbound'`, [A.tenant.id]);
      return m?.status === 'processed' ? m : undefined;
    });
    expect(msg.status).toBe('processed');
    await h.until(() => events.find((e) => e.type === 'needs_attention'), 5000, 'staff notification');
    expect(events.find((e) => e.type === 'needs_attention')).toMatchObject({ reason: 'tenant suspended' });
    const [out] = await h.rt.db.query<any>(`select count(*)::int n from messages where tenant_id = $1 and direction = 'outbound'`, [A.tenant.id]);
    expect(out.n).toBe(0);
    expect(h.gemini.requests).toHaveLength(0);
    expect(h.twilio.messages).toHaveLength(0);
    await off();

    const back = await api(h, 'POST', `/api/admin/tenants/${A.tenant.id}/restore`, { headers: s.owner!.headers });
    expect(back.body.tenant.status).toBe('active');
    await loginAs(h, staff);
    const log = await h.rt.db.query<any>(`select action, actor_id, data from audit_log where tenant_id = $1 and action like 'tenant.%' order by id`, [A.tenant.id]);
    expect(log.map((l) => l.action)).toEqual(['tenant.create', 'tenant.suspend', 'tenant.restore']);
    expect(log[1]).toMatchObject({ actor_id: s.admin!.cred.id, data: { from: 'active', to: 'suspended', reason: 'unpaid' } });
  });
});

describe('view as tenant', () => {
  it('lets only the platform owner open a read-only, audited, time-boxed view of one tenant', async () => {
    expect((await api(h, 'POST', `/api/admin/tenants/${A.tenant.id}/view-as`, { headers: s.admin!.headers })).status).toBe(403);
    expect((await api(h, 'POST', `/api/admin/tenants/${randomUUID()}/view-as`, { headers: s.owner!.headers })).status).toBe(404);
    const start = await api(h, 'POST', `/api/admin/tenants/${A.tenant.id}/view-as`, { headers: s.owner!.headers });
    expect(start.status).toBe(200);
    expect(start.body.expiresAt - Date.now()).toBeGreaterThan(29 * 60_000);
    const view = { authorization: `Bearer ${start.body.token}` };
    const settings = await api(h, 'GET', '/api/tenant/settings', { headers: view });
    expect(settings.status).toBe(200);
    expect(settings.body.tenant.id).toBe(A.tenant.id);
    expect((await api(h, 'PATCH', '/api/tenant/settings', { headers: view, body: { name: 'Owner was here' } })).status).toBe(403);
    expect((await api(h, 'GET', '/api/tenant/customers', { headers: view })).status).toBe(200);
    // Still a platform session for the platform API.
    expect((await api(h, 'GET', '/api/admin/tenants', { headers: view })).status).toBe(200);
    const [a] = await h.rt.db.query<any>(`select actor_id, data from audit_log where tenant_id = $1 and action = 'tenant.view_as'`, [A.tenant.id]);
    expect(a).toMatchObject({ actor_id: s.owner!.cred.id, data: { expiresAt: new Date(start.body.expiresAt).toISOString() } });

    const clock = h.rt.app!.authClock;
    const realNow = clock.now;
    clock.now = () => Date.now() + 31 * 60_000;
    try {
      const expired = await api(h, 'GET', '/api/tenant/settings', { headers: view });
      expect(expired.status).toBe(403);
      expect(expired.body.error.code).toBe('view_as_expired');
    } finally {
      clock.now = realNow;
    }
    const end = await api(h, 'DELETE', '/api/admin/view-as', { headers: view });
    expect(end.status).toBe(204);
    const plain = end.headers.getSetCookie().find((c) => c.startsWith('aizalo_session='))!.split(';')[0]!;
    expect((await api(h, 'GET', '/api/tenant/settings', { headers: { cookie: plain } })).status).toBe(403);
  });
});

describe('inbound rate limits', () => {
  it('limits webhooks per tenant address with 429 + Retry-After, leaving other tenants alone', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await h.twilioSms(B, '+254700000088', `hi ${i}`)).status);
    expect(codes).toEqual([200, 200, 200, 200, 429]);
    const res = await h.twilioSms(B, '+254700000088', 'again');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const [n] = await h.rt.db.query<any>(`select count(*)::int n from messages where tenant_id = $1 and direction = 'inbound'`, [B.tenant.id]);
    expect(n.n).toBe(4);
    expect((await h.twilioSms(A, '+254700000088', 'other tenant')).status).toBe(200);
  });
});
