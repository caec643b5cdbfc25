/**
 * GET /api/tenant/analytics on real PostgreSQL + Redis: one tenant driven through real SMS turns
 * (fake Twilio in, fake Gemini replies with scripted token usage), one tenant seeded with rows at
 * exact times so every figure (response-time median/p90 included) is computed by hand below.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { signedIn } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let a: TestTenant; // real SMS turns
let b: TestTenant; // hand-seeded rows

const q = async (sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);
const one = async (sql: string, params: unknown[] = []) => (await q(sql, params))[0]!;

/** Seed tenant b; every timestamp is relative to now() so the 7- and 30-day windows are exact. */
async function seed(t: TestTenant): Promise<void> {
  const tid = t.tenant.id;
  // One reference instant for every row (each insert below is its own transaction with its own now()).
  const base = new Date().toISOString();
  const sms = (await one(`select id from channels where tenant_id = $1 and provider = 'twilio'`, [tid])).id;
  const wa = (await one(`insert into channels (tenant_id, type, provider, address) values ($1, 'whatsapp', 'baileys', $2) returning id`, [tid, `+2547${randomBytes(4).toString('hex')}`])).id;
  // Every tenant gets its web-chat channel at creation.
  const web = (await one(`select id from channels where tenant_id = $1 and type = 'webchat'`, [tid])).id;
  const cust = async (handle: string) => (await one(`insert into customers (tenant_id, handle) values ($1, $2) returning id`, [tid, handle])).id;
  const [c1, c2, c3] = [await cust('+254711000001'), await cust('+254711000002'), await cust('web:v3')];
  const conv = async (customer: string, channel: string, extra: string, created = '0 seconds') =>
    (await one(`insert into conversations (tenant_id, customer_id, channel_id, status, owner, needs_human, created_at)
      select $1, $2, $3, s, o, n, $5::timestamptz - $4::interval from (values ${extra}) v(s, o, n) returning id`, [tid, customer, channel, created, base])).id;
  const v1 = await conv(c1, sms, `('open', 'ai', false)`);
  const v2 = await conv(c2, wa, `('open', 'human', true)`);
  const v3 = await conv(c3, web, `('closed', 'ai', false)`, '10 days');
  const msg = (cv: string, ch: string, dir: string, sender: string, status: string, provider: string | null, ago: string) =>
    q(`insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, provider, created_at)
       values ($1, $2, $3, $4, $5, 'x', $6, $7, $9::timestamptz - $8::interval)`, [tid, cv, ch, dir, sender, status, provider, ago, base]);
  // conv1 (SMS): gaps 10 s and 20 s; an inbound 40 days ago lies outside both windows.
  await msg(v1, sms, 'inbound', 'customer', 'processed', null, '40 days');
  await msg(v1, sms, 'inbound', 'customer', 'processed', null, '3600 seconds');
  await msg(v1, sms, 'outbound', 'ai', 'sent', 'gemini', '3590 seconds');
  await msg(v1, sms, 'inbound', 'customer', 'processed', null, '3000 seconds');
  await msg(v1, sms, 'outbound', 'ai', 'sent', 'groq', '2980 seconds');
  // conv2 (WhatsApp): offline fallback after 30 s; then a canceled AI reply (ignored) and staff after 60 s.
  await msg(v2, wa, 'inbound', 'customer', 'processed', null, '7200 seconds');
  await msg(v2, wa, 'outbound', 'system', 'sent', 'offline', '7170 seconds');
  await msg(v2, wa, 'inbound', 'customer', 'processed', null, '5400 seconds');
  await msg(v2, wa, 'outbound', 'ai', 'canceled', 'gemini', '5395 seconds');
  await msg(v2, wa, 'outbound', 'staff', 'sent', null, '5340 seconds');
  // conv3 (web chat, 10 days ago): gap 40 s.
  await msg(v3, web, 'inbound', 'customer', 'processed', null, '10 days');
  await msg(v3, web, 'outbound', 'ai', 'sent', 'gemini', '10 days -40 seconds');
  const usage = (provider: string, i: number, o: number, cost: number, outcome: string, ago: string) =>
    q(`insert into ai_usage (tenant_id, provider, model, input_tokens, output_tokens, latency_ms, outcome, cost_usd_micros, created_at)
       values ($1, $2, 'm', $3, $4, 100, $5, $6, $8::timestamptz - $7::interval)`, [tid, provider, i, o, outcome, cost, ago, base]);
  await usage('gemini', 100, 20, 150, 'ok', '3595 seconds');
  await usage('groq', 50, 10, 40, 'ok', '2990 seconds');
  await usage('openai', 0, 0, 0, 'server', '2990 seconds');
  await usage('gemini', 200, 30, 300, 'ok', '10 days');
  const lead = (c: string, stage: string, ago: string) =>
    q(`insert into leads (tenant_id, customer_id, stage, created_at) values ($1, $2, $3, $5::timestamptz - $4::interval)`, [tid, c, stage, ago, base]);
  await lead(c1, 'new', '1 hour');
  await lead(c2, 'qualified', '1 hour');
  await lead(c3, 'won', '10 days');
  await lead(c3, 'new', '40 days');
  const res = (await one(`insert into resources (tenant_id, name) values ($1, 'Room 1') returning id`, [tid])).id;
  const booking = (c: string, status: string, hoursAhead: number, ago: string) =>
    q(`insert into bookings (tenant_id, resource_id, customer_id, during, status, created_at)
       values ($1, $2, $3, tstzrange(now() + make_interval(hours => $4), now() + make_interval(hours => $4 + 1)), $5, $7::timestamptz - $6::interval)`,
      [tid, res, c, hoursAhead, status, ago, base]);
  await booking(c1, 'confirmed', 24, '1 hour');
  await booking(c2, 'canceled', 48, '2 days');
  await booking(c1, 'confirmed', 72, '40 days');
}

beforeAll(async () => {
  h = await startHarness();
  [a, b] = [await h.tenant(), await h.tenant()];
  await seed(b);
});
afterAll(async () => h?.close());

describe('GET /api/tenant/analytics', () => {
  it('counts real SMS turns: messages, conversations, AI replies and tokens from ai_usage', async () => {
    h.gemini.script({ text: 'Karibu! Rooms from KES 9,500.', usage: { input: 120, output: 30 } });
    await h.twilioSms(a, '+254722000001', 'How much is a room?');
    await h.twilio.waitFor(1);
    h.gemini.script({ text: 'Yes, Friday is free.', usage: { input: 120, output: 30 } });
    await h.twilioSms(a, '+254722000001', 'Is Friday free?');
    await h.twilio.waitFor(2);
    await h.settled();
    const s = await signedIn(h, { tenantId: a.tenant.id, role: 'viewer' });
    const res = await api(h, 'GET', '/api/tenant/analytics', { headers: s.headers });
    expect(res.status).toBe(200);
    const cost = Number((await one(`select coalesce(sum(cost_usd_micros), 0) as c from ai_usage where tenant_id = $1`, [a.tenant.id])).c);
    expect(res.body).toMatchObject({
      messages: { inbound: 2, outbound: 2, byChannel: { sms: 4, whatsapp: 0, webchat: 0 } },
      conversations: { started: 1, open: 1, needsHuman: 0, humanOwned: 0 },
      ai: { replies: 2, byProvider: { gemini: 2 }, fallbackReplies: 0, inputTokens: 240, outputTokens: 60, costUsdMicros: cost },
      leads: { byStage: {} },
      bookings: { confirmed: 0, canceled: 0 },
    });
    expect(res.body.responseTime.medianMs).toBeGreaterThanOrEqual(0);
    const days = (Date.parse(res.body.period.to) - Date.parse(res.body.period.from)) / 86_400_000;
    expect(days).toBeCloseTo(30, 6);
  });

  it('computes every figure of the seeded fixture over 30 days (default) and 7 days', async () => {
    const s = await signedIn(h, { tenantId: b.tenant.id, role: 'viewer' });
    const d30 = await api(h, 'GET', '/api/tenant/analytics', { headers: s.headers });
    expect(d30.status).toBe(200);
    // Gaps 10, 20, 30, 40, 60 s: median 30 s; p90 at rank 3.6 → 40 + 0.6 × 20 = 52 s.
    expect(d30.body).toMatchObject({
      messages: { inbound: 5, outbound: 5, byChannel: { sms: 4, whatsapp: 4, webchat: 2 } },
      conversations: { started: 3, open: 2, needsHuman: 1, humanOwned: 1 },
      ai: { replies: 4, byProvider: { gemini: 2, groq: 1, offline: 1 }, fallbackReplies: 1, inputTokens: 350, outputTokens: 60, costUsdMicros: 490 },
      responseTime: { medianMs: 30_000, p90Ms: 52_000 },
      leads: { byStage: { new: 1, qualified: 1, won: 1 } },
      bookings: { confirmed: 1, canceled: 1 },
    });
    const d7 = await api(h, 'GET', '/api/tenant/analytics?days=7', { headers: s.headers });
    // Gaps 10, 20, 30, 60 s: median 25 s; p90 at rank 2.7 → 30 + 0.7 × 30 = 51 s.
    expect(d7.body).toMatchObject({
      messages: { inbound: 4, outbound: 4, byChannel: { sms: 4, whatsapp: 4, webchat: 0 } },
      conversations: { started: 2, open: 2, needsHuman: 1, humanOwned: 1 },
      ai: { replies: 3, byProvider: { gemini: 1, groq: 1, offline: 1 }, fallbackReplies: 1, inputTokens: 150, outputTokens: 30, costUsdMicros: 190 },
      responseTime: { medianMs: 25_000, p90Ms: 51_000 },
      leads: { byStage: { new: 1, qualified: 1 } },
      bookings: { confirmed: 1, canceled: 1 },
    });
    expect(d7.body.leads.byStage.won).toBeUndefined();
  });

  it('rejects days outside 1-365 or not an integer (400) and answers 401 without a session', async () => {
    const s = await signedIn(h, { tenantId: b.tenant.id, role: 'staff' });
    for (const days of ['0', '366', 'abc', '2.5']) {
      const res = await api(h, 'GET', `/api/tenant/analytics?days=${days}`, { headers: s.headers });
      expect(res.status, `days=${days}`).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await api(h, 'GET', '/api/tenant/analytics?days=365', { headers: s.headers })).status).toBe(200);
    expect((await api(h, 'GET', '/api/tenant/analytics')).status).toBe(401);
  });
});
