/**
 * Happy paths of tenant API routes that only the cross-tenant sweep touched before: leads list
 * and patch (a follow-up time schedules `lead_followup`), bookings cancel, the price-offer log,
 * marking a conversation read (its unread count drops to 0) and the team list. Real PostgreSQL +
 * Redis; the conversation comes from a real signed Twilio inbound answered by the fake Gemini;
 * the other rows are inserted as the owner, then read and changed only through HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { signedIn } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;
let owner: Awaited<ReturnType<typeof signedIn>>;
let staff: Awaited<ReturnType<typeof signedIn>>;
let conversationId: string;
let customerId: string;
const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);
const one = async (q: string, p: unknown[] = []) => (await rows(q, p))[0]!;

beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant();
  owner = await signedIn(h, { tenantId: t.tenant.id, role: 'owner' });
  staff = await signedIn(h, { tenantId: t.tenant.id, role: 'staff' });
  h.gemini.script({ text: 'Karibu! How can we help?' });
  expect((await h.twilioSms(t, '+254711300001', 'Hello, do you have rooms?')).status).toBe(200);
  await h.settled();
  ({ id: conversationId, customer_id: customerId } = await one(`select id, customer_id from conversations where tenant_id = $1`, [t.tenant.id]));
});
afterAll(async () => h?.close());

describe('leads', () => {
  it('lists the tenant’s leads and patches one; a follow-up time schedules its job', async () => {
    const lead = await one(`insert into leads (tenant_id, customer_id, conversation_id, interest) values ($1, $2, $3, 'deluxe room') returning id`, [t.tenant.id, customerId, conversationId]);
    const list = await api(h, 'GET', '/api/tenant/leads', { headers: staff.headers });
    expect(list.status).toBe(200);
    expect(list.body.leads).toEqual([expect.objectContaining({ id: lead.id, stage: 'new', interest: 'deluxe room' })]);

    const due = new Date(Date.now() + 3_600_000).toISOString();
    const patched = await api(h, 'PATCH', `/api/tenant/leads/${lead.id}`, {
      headers: staff.headers,
      body: { stage: 'qualified', score: 70, valueCents: 950_000, notes: 'wants sea view', followUpAt: due },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.lead).toMatchObject({ id: lead.id, stage: 'qualified', score: 70, valueCents: 950_000, notes: 'wants sea view' });
    expect(await one(`select stage, score, value_cents, follow_up_at from leads where id = $1`, [lead.id])).toEqual({
      stage: 'qualified',
      score: 70,
      value_cents: '950000',
      follow_up_at: new Date(due),
    });
    expect((await h.rt.queue.counts()).lead_followup).toBe(1); // delayed until `due`

    const filtered = await api(h, 'GET', '/api/tenant/leads?stage=new', { headers: staff.headers });
    expect(filtered.body.leads).toEqual([]);
  });
});

describe('bookings', () => {
  it('cancels a confirmed booking once; a second cancel is 404', async () => {
    const res = await one(`insert into resources (tenant_id, name) values ($1, 'Room 7') returning id`, [t.tenant.id]);
    const b = await one(
      `insert into bookings (tenant_id, resource_id, customer_id, during) values ($1, $2, $3, tstzrange(now() + interval '1 day', now() + interval '1 day 2 hours')) returning id`,
      [t.tenant.id, res.id, customerId],
    );
    const r = await api(h, 'POST', `/api/tenant/bookings/${b.id}/cancel`, { headers: staff.headers, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.booking).toMatchObject({ id: b.id, status: 'canceled' });
    expect(await one(`select status, canceled_at is not null as stamped from bookings where id = $1`, [b.id])).toEqual({ status: 'canceled', stamped: true });
    expect((await api(h, 'POST', `/api/tenant/bookings/${b.id}/cancel`, { headers: staff.headers, body: {} })).status).toBe(404);
  });
});

describe('price offers', () => {
  it('lists the negotiation log, newest first', async () => {
    const rule = await one(`insert into price_rules (tenant_id, product, list_cents, floor_cents, step_cents) values ($1, 'Deluxe night', 1200000, 950000, 50000) returning id`, [t.tenant.id]);
    for (const [round, offered, decision] of [[1, 1150000, 'counter'], [2, 1100000, 'accept']] as const)
      await rows(
        `insert into price_offers (tenant_id, rule_id, customer_id, conversation_id, round, customer_ask_cents, offered_cents, decision) values ($1, $2, $3, $4, $5, 1000000, $6, $7)`,
        [t.tenant.id, rule.id, customerId, conversationId, round, offered, decision],
      );
    const r = await api(h, 'GET', '/api/tenant/prices/offers', { headers: staff.headers });
    expect(r.status).toBe(200);
    expect(r.body.offers.map((o: any) => [o.round, o.offeredCents, o.decision])).toEqual([
      [2, 1100000, 'accept'],
      [1, 1150000, 'counter'],
    ]);
  });
});

describe('conversation read', () => {
  it('marks a conversation read for the caller: its unread count drops to 0 for them only', async () => {
    const unread = async (s: typeof staff) =>
      ((await api(h, 'GET', '/api/tenant/conversations', { headers: s.headers })).body.conversations as any[]).find((c) => c.id === conversationId)?.unread;
    expect(await unread(staff)).toBeGreaterThan(0);
    const r = await api(h, 'POST', `/api/tenant/conversations/${conversationId}/read`, { headers: staff.headers, body: {} });
    expect(r.status).toBe(204);
    expect(await unread(staff)).toBe(0);
    expect(await unread(owner)).toBeGreaterThan(0);
  });
});

describe('team', () => {
  it('lists the tenant’s users with their roles, no password hashes', async () => {
    const r = await api(h, 'GET', '/api/tenant/team', { headers: staff.headers });
    expect(r.status).toBe(200);
    expect(r.body.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: owner.cred.id, email: owner.cred.email, role: 'owner' }),
        expect.objectContaining({ id: staff.cred.id, email: staff.cred.email, role: 'staff' }),
      ]),
    );
    expect(r.body.users).toHaveLength(2);
    expect(JSON.stringify(r.body)).not.toMatch(/passwordHash|password_hash|argon2/);
  });
});
