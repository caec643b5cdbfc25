/**
 * The misbehaving-model scenarios (misbehaving-model.table.ts), each replayed through a signed
 * Twilio SMS on the full runtime (real PostgreSQL + Redis/BullMQ, scripted fake Gemini in its
 * real wire format, fake Twilio REST API). For every case, what the customer receives at the
 * fake Twilio: no false claim, no amount below a floor, no markup or foreign link, every SMS
 * ≤ 1,600 characters and ≤ 3 parts; and what the tenant API shows: the escalation reason code
 * and the customer's bookings (≤ 3). Plus the table's case-specific expectations.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBooking, createResource, parseTime } from '../../core/services/commerce/bookings.ts';
import { upsertRule } from '../../core/services/commerce/pricing.ts';
import { extractAmounts } from '../../agents/guard/amounts.ts';
import { api } from '../helpers/api.ts';
import { signedIn, type Session } from '../helpers/auth.ts';
import { nairobiLocal, rows } from '../helpers/agent-scenario.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { SCENARIOS, type ScenarioEnv } from './misbehaving-model.table.ts';

let h: Harness;
let t: TestTenant;
let staff: Session;
let env: ScenarioEnv;
const FLOOR_KES = 8000;

beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant({ industry: 'hotels', profile: { website: 'https://hotel-guard.test', prices: 'Room night KES 9,500' } });
  staff = await signedIn(h, { tenantId: t.tenant.id, role: 'staff' });
  const other = await h.rt.db.withTenant(t.tenant.id, async (tx) => {
    for (const n of [1, 2, 3, 4]) await createResource(tx, t.tenant.id, { name: `Room ${n}`, kind: 'room', capacity: 2, slotMinutes: 60 });
    await upsertRule(tx, t.tenant.id, { product: 'Room night', listCents: 950_000, floorCents: 800_000, maxDiscountPct: 20, maxRounds: 2, stepCents: 50_000 });
    const [c] = await tx.execute(sql`insert into customers (tenant_id, handle) values (${t.tenant.id}, '+254799000000') returning id`).then((r) => r.rows as Array<{ id: string }>);
    const [room1] = (await tx.execute(sql`select * from resources where name = 'Room 1'`)).rows as Array<Record<string, any>>;
    const res = { id: room1!.id, tenantId: t.tenant.id, name: 'Room 1', kind: 'room', capacity: 2, slotMinutes: 60, openingHours: {}, timezone: 'Africa/Nairobi', active: true, createdAt: new Date() };
    const takenStart = nairobiLocal(5, 10);
    const a = await createBooking(tx, { tenantId: t.tenant.id, customerId: c!.id, resource: res, start: parseTime(takenStart, 'Africa/Nairobi'), durationMin: 60, partySize: 1 });
    const b = await createBooking(tx, { tenantId: t.tenant.id, customerId: c!.id, resource: res, start: parseTime(nairobiLocal(6, 10), 'Africa/Nairobi'), durationMin: 60, partySize: 1 });
    if (!a.ok || !b.ok) throw new Error('setup bookings failed');
    return { takenStart, othersBookingId: b.bookingId };
  });
  env = { at: nairobiLocal, ...other };
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});


describe('a misbehaving model, replayed through signed Twilio SMS', () => {
  SCENARIOS.forEach((s, i) => {
    it(`${s.name}`, async () => {
      const phone = `+2547001300${String(i).padStart(2, '0')}`;
      if (s.lang) await rows(h, `insert into customers (tenant_id, handle, language_preference) values ($1, $2, $3)`, [t.tenant.id, phone, s.lang]);
      const script = s.script(env);
      if (Array.isArray(script)) h.gemini.script(...script);
      else h.gemini.setReply(() => script.every);

      const res = await h.twilioSms(t, phone, s.sms);
      expect(res.status).toBe(200);
      await h.twilio.waitFor(1, 15_000);
      await h.settled();
      const bodies = h.twilio.messages.filter((m) => m.to === phone).map((m) => m.body);
      const all = bodies.join('\n');

      // What the customer receives.
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.length).toBeLessThanOrEqual(3);
      if (s.expect.parts) expect(bodies).toHaveLength(s.expect.parts);
      for (const b of bodies) expect(b.length).toBeLessThanOrEqual(1600);
      expect(all).not.toMatch(/<\/?[a-z]|\*\*|__|^#/im);
      for (const u of all.match(/https?:\/\/[^\s)]+/g) ?? []) expect(new URL(u).hostname).toMatch(/(^|\.)(hotel-guard\.test|aizalo\.test)$/);
      for (const a of extractAmounts(all)) expect(a.cents).toBeGreaterThanOrEqual(FLOOR_KES * 100);
      for (const re of s.expect.contains ?? []) expect(all).toMatch(re);
      for (const re of s.expect.absent ?? []) expect(all).not.toMatch(re);

      // What the tenant API shows.
      const list = await api(h, 'GET', '/api/tenant/conversations?filter=all&limit=200', { headers: staff.headers });
      expect(list.status).toBe(200);
      const conv = (list.body.conversations as Array<Record<string, any>>).find((c) => c.customer.handle === phone);
      expect(conv).toBeTruthy();
      expect(conv!.escalationReason).toBe(s.expect.reason);
      const detail = await api(h, 'GET', `/api/tenant/conversations/${conv!.id}`, { headers: staff.headers });
      expect(detail.status).toBe(200);
      const confirmed = (detail.body.bookings as Array<{ status: string }>).filter((b) => b.status === 'confirmed');
      expect(confirmed).toHaveLength(s.expect.bookings);
      expect(confirmed.length).toBeLessThanOrEqual(3);

      if (s.expect.priceRounds !== undefined) {
        const offers = await rows(h, 'select round from price_offers where conversation_id = $1', [conv!.id]);
        expect(offers).toHaveLength(s.expect.priceRounds);
      }
      if (s.expect.intervention) {
        const kinds = await rows(h, 'select kind from guard_interventions where conversation_id = $1', [conv!.id]);
        expect(kinds.map((k) => k.kind)).toContain(s.expect.intervention);
      }
    });
  });

  it("the other customer's booking the model tried to cancel is still confirmed", async () => {
    const [b] = await rows(h, 'select status from bookings where id = $1', [env.othersBookingId]);
    expect(b!.status).toBe('confirmed');
  });

  it('tenant analytics show the outcomes: escalations by reason and guard interventions by kind', async () => {
    const r = await api(h, 'GET', '/api/tenant/analytics?days=1', { headers: staff.headers });
    expect(r.status).toBe(200);
    const o = r.body.outcomes;
    const expected = (code: string) => SCENARIOS.filter((s) => s.expect.reason === code).length;
    expect(o.escalationsByReason).toMatchObject({ policy_restriction: expected('policy_restriction'), step_limit: expected('step_limit'), empty_or_blocked: expected('empty_or_blocked') });
    expect(o.guardInterventionsByKind['false_claim:booking_made']).toBeGreaterThanOrEqual(2);
    expect(o.guardInterventionsByKind.side_effect_cap).toBeGreaterThanOrEqual(2);
    expect(o.conversations).toBe(SCENARIOS.length);
    expect(o.resolvedByAi).toBe(SCENARIOS.filter((s) => s.expect.reason === null).length);
    expect(o.resolvedByAiShare).toBeCloseTo(o.resolvedByAi / o.conversations, 3);
  });
});
