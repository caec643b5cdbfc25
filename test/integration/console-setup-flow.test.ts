/**
 * The console's setup flow end to end at the API level, as a new owner does it: profile and
 * hours, one FAQ document (indexed, progress seen on the event stream), one item with a floor,
 * one resource, a Twilio number added through the API; the playground runs the real agent with
 * dry-run tools (nothing written); then a signed inbound SMS to that number is answered by the
 * agent (fake Gemini) whose prompt carries the profile, the hours (closed now, next opening) and
 * the FAQ, and a customer haggling below the floor is never offered less than the floor.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantRow } from '../../core/services/tenancy/tenants.ts';
import { startHarness, PUBLIC_URL, type Harness } from '../helpers/harness.ts';
import { callAs, drainSse } from '../helpers/console.ts';
import { signedIn } from '../helpers/auth.ts';
import { signTwilioRequest } from '../fakes/twilio-signature.ts';
import { wallClock } from '../../core/services/setup/business-hours.ts';

let h: Harness;
let tenant: TenantRow;
let owner: Awaited<ReturnType<typeof signedIn>>;
let call: ReturnType<typeof callAs>;
const number = `+1555${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
const sid = `AC${randomBytes(16).toString('hex')}`;
const token = randomBytes(16).toString('hex');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Open only on the weekday after tomorrow (Nairobi): whenever the test runs, the business is closed now.
const openDay = (wallClock(new Date(), 'Africa/Nairobi').day + 2) % 7;

beforeAll(async () => {
  h = await startHarness();
  tenant = await createTenant(h.rt.db, { slug: `lake-${randomBytes(3).toString('hex')}`, name: 'Lakeside Lodge', industry: 'hotels', status: 'active' });
  owner = await signedIn(h, { tenantId: tenant.id, role: 'owner' });
  call = callAs(h);
  h.twilio.addAccount(sid, token);
});
afterAll(async () => h?.close());

let inboundSeq = 0;
async function sms(from: string, body: string): Promise<string> {
  const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: sid, From: from, To: number, Body: body, NumMedia: '0' };
  const before = h.twilio.messages.length;
  const res = await fetch(`${h.url}/webhooks/twilio/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(token, `${PUBLIC_URL}/webhooks/twilio/sms`, params) },
    body: new URLSearchParams(params),
  });
  expect(res.status).toBe(200);
  inboundSeq++;
  await h.twilio.waitFor(before + 1, 15_000);
  return h.twilio.messages[before]!.body;
}

describe('a new owner sets up the business through the API', () => {
  it('profile, hours, FAQ (progress events), item with a floor, resource, Twilio channel; checklist follows', async () => {
    const ctl = new AbortController();
    const sse = await fetch(`${h.url}/api/tenant/events`, { headers: owner.headers, signal: ctl.signal });
    const seen = { text: '' };
    drainSse(sse, seen);
    await h.until(() => seen.text.includes('connected'));

    expect((await call(owner, 'PATCH', '/api/tenant/profile', {
      description: 'A quiet lodge on Lake Naivasha with 12 rooms.',
      address: 'Moi South Lake Rd, Naivasha',
      phone: '+254700123456',
      website: 'https://lakeside.example',
      persona: 'Friendly, calm, a little poetic.',
      escalationRules: 'a guest reports an emergency',
    })).status).toBe(200);
    expect((await call(owner, 'PUT', '/api/tenant/hours', { weekly: [{ day: openDay, open: '09:00', close: '17:00', breaks: [{ start: '12:00', end: '13:00' }] }], holidays: [] })).status).toBe(200);
    const faq = 'Q: Is breakfast included?\nA: Yes, a full Kenyan breakfast is included with every room.\n\nQ: Do you allow pets?\nA: Small pets are welcome for KES 1,000 per night.';
    const doc = await call(owner, 'POST', '/api/tenant/knowledge', { title: 'Guest FAQ', text: faq, format: 'faq' });
    expect(doc.status).toBe(202);
    await h.until(() => seen.text.includes('"status":"ready"'), 15_000, 'knowledge ready event');
    expect(seen.text).toContain(`"documentId":"${doc.body.document.id}","status":"embedding","chunksDone":0,"chunksTotal":2`);
    ctl.abort();
    expect((await call(owner, 'PUT', '/api/tenant/prices', { product: 'Lake view room', listCents: 1_000_000, floorCents: 800_000, stepCents: 100_000, maxRounds: 3 })).status).toBe(200);
    expect((await call(owner, 'POST', '/api/tenant/resources', { name: 'Lake view room', kind: 'nightly', pricePerNightCents: 1_000_000 })).status).toBe(201);
    const ch = await call(owner, 'POST', '/api/tenant/channels', { type: 'sms', provider: 'twilio', address: number, accountSid: sid, authToken: token });
    expect(ch.status).toBe(201);
    const steps = (await call(owner, 'GET', '/api/tenant/onboarding')).body.steps;
    expect(steps.map((s: { key: string; done: boolean }) => `${s.key}:${s.done}`)).toEqual(['profile:true', 'hours:true', 'knowledge:true', 'prices:true', 'channel:true', 'test:false']);
  });

  it('the playground runs the real agent with dry-run tools: shows the offer and the booking, writes nothing', async () => {
    h.gemini.reset();
    h.gemini.script(
      { toolCalls: [{ name: 'propose_price', args: { product: 'Lake view room', customer_ask_kes: 5000, proposed_price_kes: 5000 } }] },
      { toolCalls: [{ name: 'create_booking', args: { resource: 'Lake view room', start: '2031-03-03T14:00', duration_minutes: 1440 } }] },
      { text: 'I can hold the Lake view room for you from 3 March.' },
    );
    const r1 = await call(owner, 'POST', '/api/tenant/playground', { message: 'How much is the lake view room? I pay 5000' });
    expect(r1.status).toBe(200);
    expect(r1.body.reply).toBe('The best we can do for Lake view room right now is KES 9,000.');
    expect(r1.body.toolCalls).toEqual([{ name: 'propose_price', args: { product: 'Lake view room', customer_ask_kes: 5000, proposed_price_kes: 5000 }, result: expect.objectContaining({ ok: true, decision: 'counter', offered_price: 'KES 9,000', dry_run: true }), dryRun: true }]);
    expect(r1.body.provider).toBe('gemini');
    const r2 = await call(owner, 'POST', '/api/tenant/playground', { message: 'Book it for 3 March', history: [{ role: 'customer', text: 'How much?' }, { role: 'agent', text: r1.body.reply }] });
    expect(r2.body.reply).toBe('I can hold the Lake view room for you from 3 March.');
    expect(r2.body.toolCalls[0]).toMatchObject({ name: 'create_booking', dryRun: true, result: { ok: true, dry_run: true, booked: false, would_book: { resource: 'Lake view room' } } });
    // Same prompt as a live turn: profile, hours and the tools prompt.
    expect(h.gemini.requests[1]!.system).toContain('A quiet lodge on Lake Naivasha');
    expect(h.gemini.requests[1]!.functionDeclarations.map((f) => f.name)).toContain('create_booking');
    const written = await h.rt.db.query<{ b: number; o: number; c: number; m: number }>(
      `select (select count(*) from bookings where tenant_id = $1)::int as b, (select count(*) from price_offers where tenant_id = $1)::int as o,
              (select count(*) from customers where tenant_id = $1)::int as c, (select count(*) from messages where tenant_id = $1)::int as m`,
      [tenant.id],
    );
    expect(written[0]).toEqual({ b: 0, o: 0, c: 0, m: 0 });
    expect((await call(owner, 'GET', '/api/tenant/onboarding')).body.steps.find((s: { key: string }) => s.key === 'test').done).toBe(true);
    const staff = await signedIn(h, { tenantId: tenant.id, role: 'staff' });
    expect((await call(staff, 'POST', '/api/tenant/playground', { message: 'hi' })).status).toBe(403);
    expect((await call(undefined, 'POST', '/api/tenant/playground', { message: 'hi' })).status).toBe(401);
    expect((await call(owner, 'POST', '/api/tenant/playground', { message: '' })).status).toBe(400);
  });

  it('an inbound SMS to the new number is answered with the profile, hours and FAQ in the prompt', async () => {
    h.gemini.reset();
    h.gemini.script({ text: 'Yes, a full Kenyan breakfast is included. We are closed right now but I can book you for later.' });
    const reply = await sms('+254711222333', 'Is breakfast included?');
    expect(reply).toBe('Yes, a full Kenyan breakfast is included. We are closed right now but I can book you for later.');
    const system = h.gemini.requests[0]!.system;
    for (const s of ['A quiet lodge on Lake Naivasha', 'Moi South Lake Rd, Naivasha', '+254700123456', 'https://lakeside.example', 'Friendly, calm, a little poetic.', 'a guest reports an emergency'])
      expect(system).toContain(s);
    expect(system).toContain(`${DAYS[openDay]}: 09:00–17:00 (break 12:00–13:00)`);
    expect(system).toMatch(new RegExp(`the business is CLOSED; it next opens ${DAYS[openDay]} \\d{4}-\\d\\d-\\d\\d at 09:00`));
    expect(system).toContain('you can still take a booking for a later time');
    expect(system).toContain('full Kenyan breakfast is included'); // the FAQ chunk, retrieved
  });

  it('a customer haggling below the floor is never offered less than the floor', async () => {
    h.gemini.reset();
    const haggle = { name: 'propose_price', args: { product: 'Lake view room', customer_ask_kes: 4000, proposed_price_kes: 4000 } };
    h.gemini.script({ text: 'Deal at 4,000!', toolCalls: [haggle] }, { text: 'OK 4,000.', toolCalls: [haggle] }, { text: '4,000 then.', toolCalls: [haggle] }, { text: 'Fine, 4k', toolCalls: [haggle] });
    const phone = '+254711999000';
    const replies = [await sms(phone, 'I pay 4000'), await sms(phone, '4000 only'), await sms(phone, 'last offer 4000'), await sms(phone, '4000!!')];
    expect(replies.slice(0, 3)).toEqual([
      'The best we can do for Lake view room right now is KES 9,000.',
      'Our final price for Lake view room is KES 8,000.',
      'Our final price for Lake view room is KES 8,000.',
    ]);
    expect(replies[3]).toMatch(/can't go lower on Lake view room myself/);
    const amounts = replies.flatMap((r) => [...r.matchAll(/KES ([\d,]+)/g)].map((m) => Number(m[1]!.replace(/,/g, ''))));
    expect(amounts.length).toBeGreaterThan(0);
    for (const kes of amounts) expect(kes).toBeGreaterThanOrEqual(8000);
    for (const r of replies) expect(r).not.toMatch(/4,?000/);
    const offers = await h.rt.db.query<{ offered_cents: string | null }>(`select offered_cents from price_offers where tenant_id = $1 order by id`, [tenant.id]);
    expect(offers.length).toBe(4);
    for (const o of offers) if (o.offered_cents !== null) expect(Number(o.offered_cents)).toBeGreaterThanOrEqual(800_000);
    expect(inboundSeq).toBe(5);
    // The console's offers table per item.
    const perItem = await call(owner, 'GET', `/api/tenant/prices/offers?item=${encodeURIComponent('Lake view room')}`);
    expect(perItem.body.offers.map((o: { decision: string }) => o.decision)).toEqual(['handoff', 'final', 'final', 'counter']);
    expect((await call(owner, 'GET', '/api/tenant/prices/offers?item=Nothing')).body.offers).toEqual([]);
  });
});
