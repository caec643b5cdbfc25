/**
 * Platform billing API over HTTP (real PostgreSQL + Redis): platform metrics, tenants with billing,
 * payments (manual and the HMAC-signed callback), sales team, leads and commissions — happy paths,
 * bad input and who may see what (a sales rep sees only their own; support cannot record payments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardBusiness } from '../../core/services/platform/onboarding.ts';
import { signPaymentCallback } from '../../gateway/routes/admin/payments.ts';
import { createPlatformUser, loginAs, type Session } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { api } from '../helpers/api.ts';

let h: Harness;
let owner: Session;
let support: Session;
let repA: Session & { id: string };
let repB: Session & { id: string };
let mine: TestTenant;
let theirs: TestTenant;

const call = async (s: Session | undefined, method: string, path: string, body?: unknown) => {
  const { status, body: json } = await api(h, method, path, { headers: s?.headers, body });
  return { status, body: json };
};
const callback = (body: unknown, sig?: string) => {
  const raw = JSON.stringify(body);
  return fetch(`${h.url}/webhooks/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-aizalo-signature': sig ?? signPaymentCallback(h.rt.cfg.secretKey, raw) },
    body: raw,
  });
};

beforeAll(async () => {
  h = await startHarness();
  owner = await loginAs(h, await createPlatformUser(h, 'owner'));
  support = await loginAs(h, await createPlatformUser(h, 'support'));
  const a = await createPlatformUser(h, 'sales');
  const b = await createPlatformUser(h, 'sales');
  repA = { ...(await loginAs(h, a)), id: a.id };
  repB = { ...(await loginAs(h, b)), id: b.id };
  mine = await h.tenant({ assignedSalesRepId: a.id, planId: 'professional', name: 'Rep A Hotel' });
  theirs = await h.tenant({ assignedSalesRepId: b.id, name: 'Rep B Salon' });
});
afterAll(async () => h?.close());

describe('payments', () => {
  it('records a manual payment once per reference and creates the rep’s commission', async () => {
    const body = { tenantId: mine.tenant.id, reference: 'MANUAL-001', amountCents: 750_000 };
    const first = await call(owner, 'POST', '/api/admin/payments', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, payment: { reference: 'MANUAL-001', method: 'manual', monthlyCents: 750_000 } });
    const again = await call(owner, 'POST', '/api/admin/payments', body);
    expect(again).toMatchObject({ status: 200, body: { created: false } });
    expect((await call(owner, 'POST', '/api/admin/payments', { ...body, amountCents: 1 })).status).toBe(409);
    expect((await call(owner, 'POST', '/api/admin/payments', { ...body, reference: 'X', amountCents: -5 })).status).toBe(400);
    const list = await call(owner, 'GET', `/api/admin/payments?tenantId=${mine.tenant.id}`);
    expect(list.body.payments).toHaveLength(1);
    const comm = await call(repA, 'GET', '/api/admin/commissions');
    expect(comm.body.commissions).toEqual([expect.objectContaining({ tenantName: 'Rep A Hotel', kind: 'first', amountCents: 150_000, status: 'pending' })]);
  });

  it('accepts the signed payment callback (idempotent) and refuses a bad signature or body', async () => {
    const body = { reference: 'MPESA-RKT5', tenant: theirs.tenant.slug, amountCents: 250_000, method: 'mpesa' };
    const res = await callback(body);
    expect(res.status).toBe(201);
    expect((await callback(body)).status).toBe(200);
    const bad = await callback({ ...body, reference: 'MPESA-OTHER' }, 'sha256=' + '0'.repeat(64));
    expect(bad.status).toBe(403);
    expect((await callback({ ...body, reference: 'NOPE', tenant: 'no-such-tenant' })).status).toBe(404);
    expect((await callback({ reference: 'R', tenant: theirs.tenant.slug, amountCents: 'lots' })).status).toBe(400);
    const rows = await h.rt.db.query<{ reference: string }>('select reference from platform_revenue where tenant_id = $1', [theirs.tenant.id]);
    expect(rows.map((r) => r.reference)).toEqual(['MPESA-RKT5']);
  });

  it('keeps payments from support staff and sales reps', async () => {
    const body = { tenantId: mine.tenant.id, reference: 'SNEAKY', amountCents: 100 };
    expect((await call(support, 'POST', '/api/admin/payments', body)).status).toBe(403);
    expect((await call(repA, 'POST', '/api/admin/payments', body)).status).toBe(403);
    expect((await call(undefined, 'POST', '/api/admin/payments', body)).status).toBe(401);
  });
});

describe('metrics and tenants', () => {
  it('gives the owner MRR, movements, statuses and health; refuses sales reps', async () => {
    const r = await call(owner, 'GET', '/api/admin/platform-metrics');
    expect(r.status).toBe(200);
    expect(r.body.mrrCents).toBe(750_000 + 250_000);
    expect(r.body.arrCents).toBe(12 * 1_000_000);
    expect(r.body.series).toHaveLength(12);
    expect(r.body.series[11]).toMatchObject({ newCents: 1_000_000, payingTenants: 2, arpaCents: 500_000 });
    expect(r.body.tenantsByStatus.active).toBeGreaterThanOrEqual(2);
    expect(r.body.health.queues).toHaveProperty('inbound');
    expect(r.body.health.channels.length).toBeGreaterThan(0);
    expect((await call(repA, 'GET', '/api/admin/platform-metrics')).status).toBe(403);
  });

  it('lists tenants with billing; a rep sees only their own and gets 404 for others', async () => {
    const all = await call(owner, 'GET', '/api/admin/tenants-billing?q=Rep');
    expect(all.body.total).toBe(2);
    expect(all.body.tenants.find((t: any) => t.id === mine.tenant.id)).toMatchObject({ planId: 'professional', mrrCents: 750_000, repId: repA.id });
    const own = await call(repA, 'GET', '/api/admin/tenants-billing');
    expect(own.body.tenants.map((t: any) => t.id)).toEqual([mine.tenant.id]);
    expect((await call(repA, 'GET', `/api/admin/tenants-billing/${theirs.tenant.id}`)).status).toBe(404);
    const detail = await call(repA, 'GET', `/api/admin/tenants-billing/${mine.tenant.id}`);
    expect(detail.body).toMatchObject({ tenant: { feeCents: 750_000 }, usage: { feeCents: 750_000 } });
    expect(detail.body.payments).toHaveLength(1);
    expect((await call(owner, 'GET', '/api/admin/tenants-billing/not-a-uuid')).status).toBe(400);
    expect((await call(owner, 'GET', '/api/admin/tenants-billing?status=bogus')).status).toBe(400);
  });

  it('cancels a subscription (owner/admin only, once, audited)', async () => {
    const t = await h.tenant({ assignedSalesRepId: repA.id, name: 'Rep A Cancel Me' });
    expect((await call(repA, 'POST', `/api/admin/tenants-billing/${t.tenant.id}/cancel`)).status).toBe(403);
    expect((await call(owner, 'POST', `/api/admin/tenants-billing/${t.tenant.id}/cancel`)).body).toEqual({ canceled: true });
    expect((await call(owner, 'POST', `/api/admin/tenants-billing/${t.tenant.id}/cancel`)).status).toBe(409);
    expect((await call(owner, 'POST', '/api/admin/tenants-billing/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);
    const [row] = await h.rt.db.query<{ t: string; s: string; a: number }>(
      `select t.status as t, s.status as s, (select count(*)::int from audit_log where target = t.id::text and action = 'subscription.cancel') as a
       from tenants t join subscriptions s on s.tenant_id = t.id where t.id = $1`, [t.tenant.id]);
    expect(row).toEqual({ t: 'canceled', s: 'canceled', a: 1 });
  });
});

describe('sales team', () => {
  it('sets rates and territories (owner only) and ranks reps; a rep sees only their own row', async () => {
    expect((await call(owner, 'PATCH', `/api/admin/sales/reps/${repB.id}`, { recurringRateBp: 750, territories: ['Mombasa'] })).status).toBe(204);
    expect((await call(repB, 'PATCH', `/api/admin/sales/reps/${repB.id}`, { recurringRateBp: 10_000 })).status).toBe(403);
    expect((await call(owner, 'PATCH', `/api/admin/sales/reps/${repB.id}`, { recurringRateBp: 20_000 })).status).toBe(400);
    const reps = await call(owner, 'GET', '/api/admin/sales/reps');
    expect(reps.body.reps.find((r: any) => r.id === repB.id)).toMatchObject({ recurringRateBp: 750, territories: ['Mombasa'], tenants: 1 });
    expect((await call(repA, 'GET', '/api/admin/sales/reps')).body.reps.map((r: any) => r.id)).toEqual([repA.id]);
    const perf = await call(owner, 'GET', '/api/admin/sales-performance');
    expect(perf.body.leaderboard[0]).toMatchObject({ repId: repA.id, commissionCents: 150_000 });
    expect((await call(repB, 'GET', '/api/admin/sales-performance')).body.leaderboard.map((r: any) => r.repId)).toEqual([repB.id]);
    expect((await call(support, 'GET', '/api/admin/sales-performance')).status).toBe(403);
  });

  it('moves leads through the pipeline; reps cannot touch each other’s leads', async () => {
    const created = await call(repA, 'POST', '/api/admin/sales/leads', { name: 'Kilimani Clinic', phone: '+254733000222', repId: repB.id });
    expect(created.status).toBe(201);
    expect(created.body.lead).toMatchObject({ stage: 'new', repId: repA.id }); // a rep's lead is always their own
    const id = created.body.lead.id;
    for (const stage of ['contacted', 'demo', 'negotiating', 'won']) expect((await call(repA, 'PATCH', `/api/admin/sales/leads/${id}`, { stage })).body.lead.stage).toBe(stage);
    expect((await call(repB, 'PATCH', `/api/admin/sales/leads/${id}`, { stage: 'lost' })).status).toBe(404);
    expect((await call(repA, 'PATCH', `/api/admin/sales/leads/${id}`, { stage: 'qualified' })).status).toBe(400);
    expect((await call(repB, 'GET', '/api/admin/sales/leads')).body.leads).toEqual([]);
    expect((await call(owner, 'GET', '/api/admin/sales/leads?stage=won')).body.leads.map((l: any) => l.id)).toEqual([id]);
  });

  it('approves and pays commissions (owner), each step once', async () => {
    const { body } = await call(owner, 'GET', `/api/admin/commissions?repId=${repA.id}`);
    const ids = body.commissions.map((c: any) => c.id);
    expect((await call(repA, 'POST', '/api/admin/commissions/approve', { ids })).status).toBe(403);
    expect((await call(owner, 'POST', '/api/admin/commissions/approve', { ids })).body.moved).toEqual(ids);
    expect((await call(owner, 'POST', '/api/admin/commissions/approve', { ids })).body.moved).toEqual([]);
    expect((await call(owner, 'POST', '/api/admin/commissions/pay', { ids })).body.moved).toEqual(ids);
    expect((await call(repA, 'GET', '/api/admin/commissions')).body.months[0]).toMatchObject({ paidCents: 150_000 });
  });
});

describe('admin web and owner invites', () => {
  it('serves the admin shell and uPlot', async () => {
    const page = await fetch(`${h.url}/admin`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/admin/vendor/uPlot.iife.min.js');
    expect((await fetch(`${h.url}/admin/vendor/uPlot.iife.min.js`)).status).toBe(200);
    expect((await fetch(`${h.url}/admin/../package.json`)).status).toBe(404);
  });

  it('sets the owner password once through the invite link', async () => {
    const r = await onboardBusiness(h.rt.db, { secretKey: h.rt.cfg.secretKey, publicUrl: h.url }, repA.id, {
      business: 'Invite Test Cafe', industry: 'cafe', ownerPhone: '+254700123456', ownerEmail: 'owner@invite.test', plan: 'starter',
    });
    const token = new URL(r.inviteUrl).searchParams.get('token')!;
    expect((await call(undefined, 'POST', '/api/invite/accept', { token, password: 'short' })).status).toBe(400);
    const ok = await call(undefined, 'POST', '/api/invite/accept', { token, password: 'a-good-password' });
    expect(ok).toMatchObject({ status: 200, body: { email: 'owner@invite.test', tenant: r.tenant.slug } });
    expect((await call(undefined, 'POST', '/api/invite/accept', { token, password: 'another-password' })).body.error.code).toBe('invalid_invite');
    expect((await call(undefined, 'POST', '/api/invite/accept', { token: 'garbage-garbage', password: 'a-good-password' })).status).toBe(400);
    const login = await fetch(`${h.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@invite.test', password: 'a-good-password', tenant: r.tenant.slug }),
    });
    expect(login.status).toBe(200); // the new owner signs in with the password they chose
  });
});
