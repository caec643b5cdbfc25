/**
 * Agent scenarios over SMS (Twilio webhook → inbound job → tool loop with the scripted fake
 * Gemini → reply sent through the fake Twilio API) on real PostgreSQL + Redis/BullMQ:
 * a booking made and confirmed; 20 concurrent bookings for one slot (exactly one wins, the
 * others are offered alternatives); 20 parallel booking transactions; the exclusion constraint
 * itself rejecting an overlapping row written behind the service's back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResource, createBooking, parseTime } from '../../core/services/commerce/bookings.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { customerId, nairobiLocal, rows, toolResults } from '../helpers/agent-scenario.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startHarness({ env: { INBOUND_DEBOUNCE_MS: '0' } }); // one reply per message: the scripts are per turn
  t = await h.tenant({ industry: 'hotels' });
  await h.rt.db.withTenant(t.tenant.id, async (tx) => {
    await createResource(tx, t.tenant.id, { name: 'Room 1', kind: 'room', capacity: 2, slotMinutes: 60 });
    await createResource(tx, t.tenant.id, { name: 'Room 2', kind: 'room', capacity: 2, slotMinutes: 60 });
    await createResource(tx, t.tenant.id, { name: 'Garden Suite', kind: 'suite', capacity: 4, slotMinutes: 60, openingHours: { mon: ['09:00', '17:00'] } });
  });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});

describe('booking over SMS', () => {
  it('books the slot the model asks for, stores it for this customer and confirms it in the reply', async () => {
    const start = nairobiLocal(3, 14);
    h.gemini.script(
      { toolCalls: [{ name: 'create_booking', args: { resource: 'Room 1', start, duration_minutes: 60, party_size: 2 } }] },
      { text: 'All set, see you then!' },
    );
    await h.twilioSms(t, '+254700200001', 'Book Room 1 for two, 2pm in three days');
    await h.twilio.waitFor(1, 10_000);
    const body = h.twilio.messages[0]!.body;
    expect(body).toContain('All set, see you then!');
    expect(body).toMatch(/Booked: Room 1, \w{3} \d+ \w{3} 14:00–15:00\. Ref [0-9A-F]{8}\./);
    const cust = await customerId(h, t.tenant.id, '+254700200001');
    const b = await rows(h, `select b.customer_id, b.status, b.party_size, lower(b.during) as s, r.name from bookings b join resources r on r.id = b.resource_id where b.tenant_id = $1`, [t.tenant.id]);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ customer_id: cust, status: 'confirmed', party_size: 2, name: 'Room 1' });
    expect(new Date(b[0]!.s).toISOString()).toBe(parseTime(start, 'Africa/Nairobi').toISOString());
    // The model got the tool list and the tool's result.
    expect(h.gemini.requests[0]!.functionDeclarations.map((f) => f.name).sort()).toEqual(
      ['cancel_booking', 'capture_lead', 'check_availability', 'create_booking', 'handoff_to_human', 'propose_price', 'search_knowledge'],
    );
    expect(toolResults(h.gemini.requests[1]!)[0]).toMatchObject({ name: 'create_booking' });
    expect(JSON.stringify(toolResults(h.gemini.requests[1]!)[0]!.response)).toContain('booked');
    // The booking is remembered for this customer.
    const facts = await rows(h, `select content from customer_memories where customer_id = $1 and kind = 'fact'`, [cust]);
    expect(facts[0]!.content).toMatch(/^Booking [0-9a-f-]{36}: Room 1/);
  });

  it('feeds a closed-hours request back as not available with alternatives; validation errors go back to the model', async () => {
    // Garden Suite opens Mondays 09-17 only; ask for a Sunday-or-any non-Monday night slot.
    let day = 1;
    while (new Date(`${nairobiLocal(day, 12).slice(0, 10)}T12:00:00+03:00`).getUTCDay() === 1) day++;
    h.gemini.script(
      { toolCalls: [{ name: 'check_availability', args: { resource: 'Garden Suite', start: nairobiLocal(day, 22) } }] },
      { toolCalls: [{ name: 'create_booking', args: { resource: 'Garden Suite', start: 'tomorrow at 2', party_size: 'lots' } }] },
      { text: 'The suite is closed then; I can offer Monday.' },
    );
    await h.twilioSms(t, '+254700200002', 'Garden suite tonight at 10pm?');
    await h.twilio.waitFor(1, 10_000);
    const first = toolResults(h.gemini.requests[1]!)[0]!.response as Record<string, any>;
    const firstJson = JSON.stringify(first);
    expect(firstJson).toContain('closed');
    expect(firstJson).toMatch(/alternatives/);
    const second = JSON.stringify(toolResults(h.gemini.requests[2]!)[0]!.response);
    expect(second).toMatch(/Invalid arguments for create_booking/);
    expect(await rows(h, `select 1 from bookings b join resources r on r.id = b.resource_id where r.name = 'Garden Suite'`)).toHaveLength(0);
  });
});

describe('concurrency', () => {
  it('20 customers booking the same slot at once: exactly one booking, the other 19 are offered alternatives', async () => {
    const start = nairobiLocal(5, 10);
    // Per request (turns interleave): a customer turn books; a tool-result turn answers from the result.
    h.gemini.setReply((req) => {
      const res = toolResults(req)[0];
      if (!res) return { toolCalls: [{ name: 'create_booking', args: { resource: 'Room 2', start, duration_minutes: 60 } }] };
      const json = JSON.stringify(res.response);
      return { text: /booked\\?":\s*true/.test(json) ? 'WON' : /alternatives/.test(json) && /resource/.test(json) ? 'TAKEN-WITH-ALTERNATIVES' : 'OTHER' };
    });
    const phones = Array.from({ length: 20 }, (_, i) => `+2547003000${String(i).padStart(2, '0')}`);
    await Promise.all(phones.map((p) => h.twilioSms(t, p, 'Room 2 at 10am please')));
    await h.twilio.waitFor(20, 25_000);
    const bodies = h.twilio.messages.map((m) => m.body);
    expect(bodies.filter((b) => b.startsWith('WON'))).toHaveLength(1);
    expect(bodies.filter((b) => b.startsWith('TAKEN-WITH-ALTERNATIVES'))).toHaveLength(19);
    const booked = await rows(
      h,
      `select count(*)::int as n from bookings b join resources r on r.id = b.resource_id where r.name = 'Room 2' and b.status = 'confirmed' and lower(b.during) = $1::timestamptz`,
      [parseTime(start, 'Africa/Nairobi').toISOString()],
    );
    expect(booked[0]!.n).toBe(1);
  });

  it('the exclusion constraint itself refuses an overlapping booking written directly (23P01)', async () => {
    const [res] = await rows(h, `select * from resources where tenant_id = $1 and name = 'Room 1'`, [t.tenant.id]);
    const [c] = await rows(h, 'select id from customers where tenant_id = $1 limit 1', [t.tenant.id]);
    const insert = (from: string, to: string) =>
      h.rt.db.query(
        `insert into bookings (tenant_id, resource_id, customer_id, during, party_size) values ($1, $2, $3, tstzrange($4::timestamptz, $5::timestamptz, '[)'), 1)`,
        [t.tenant.id, res!.id, c!.id, from, to],
      );
    await insert('2031-01-05T08:00:00Z', '2031-01-05T09:00:00Z');
    await expect(insert('2031-01-05T08:30:00Z', '2031-01-05T09:30:00Z')).rejects.toMatchObject({ code: '23P01' });
    await insert('2031-01-05T09:00:00Z', '2031-01-05T10:00:00Z'); // adjacent, half-open ranges: fine
  });

  it('20 parallel transactions for one slot: exactly one booking, the others offered alternatives', async () => {
    const [res] = await rows(h, `select * from resources where tenant_id = $1 and name = 'Room 1'`, [t.tenant.id]);
    const custs = await rows(h, 'select id from customers where tenant_id = $1 limit 20', [t.tenant.id]);
    const start = parseTime(nairobiLocal(9, 9), 'Africa/Nairobi');
    const resource = { id: res!.id, tenantId: t.tenant.id, name: 'Room 1', kind: 'room', capacity: 2, slotMinutes: 60, openingHours: {}, timezone: 'Africa/Nairobi', active: true, createdAt: new Date() };
    const results = await Promise.all(
      custs.map((c) =>
        h.rt.db.withTenant(t.tenant.id, (tx) =>
          createBooking(tx, { tenantId: t.tenant.id, customerId: c.id, resource, start, durationMin: 90, partySize: 1 }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.filter((r) => !r.ok);
    expect(lost).toHaveLength(custs.length - 1);
    for (const r of lost) {
      expect(r).toMatchObject({ ok: false, reason: 'taken' });
      expect((r as { alternatives: unknown[] }).alternatives.length).toBeGreaterThan(0);
    }
  });
});
