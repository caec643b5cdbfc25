/**
 * The spine end to end over HTTP on real PostgreSQL + Redis/BullMQ: inbound SMS (Twilio and
 * Africa's Talking) → stored → inbound job → agent via the fake Gemini → reply stored → outbound
 * job → POSTed to the fake provider API. Plus every bad input, duplicates and provider outages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;

const rows = async (sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);
const countMessages = async (tenantId: string) => Number((await rows('select count(*)::int as n from messages where tenant_id = $1', [tenantId]))[0]!.n);

beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant();
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.groq.reset();
  h.openai.reset();
  h.twilio.reset();
  h.at.reset();
});

describe('Twilio SMS', () => {
  it('answers a signed inbound SMS with the fake Gemini text through the Twilio REST API', async () => {
    h.gemini.script({ text: 'Karibu! A standard room is KES 9,500 per night.' });
    const res = await h.twilioSms(t, '+254700000001', 'How much is a room?');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/xml/);
    expect(await res.text()).toContain('<Response></Response>');
    await h.twilio.waitFor(1);
    expect(h.twilio.messages[0]).toMatchObject({
      accountSid: t.twilioSid,
      to: '+254700000001',
      from: t.twilioNumber,
      body: 'Karibu! A standard room is KES 9,500 per night.',
    });
    // The model saw the customer's text and the tenant's profile in the system prompt.
    expect(h.gemini.requests[0]!.lastUserText).toBe('How much is a room?');
    expect(h.gemini.requests[0]!.system).toContain(t.tenant.name);
    const out = await h.until(async () => {
      const r = await rows(`select status, provider, external_id from messages where tenant_id = $1 and direction = 'outbound'`, [t.tenant.id]);
      return r[0]?.status === 'sent' ? r[0] : undefined;
    });
    expect(out).toMatchObject({ provider: 'gemini', external_id: h.twilio.messages[0]!.sid });
    const usage = await rows(`select provider, outcome, input_tokens, output_tokens from ai_usage where tenant_id = $1`, [t.tenant.id]);
    expect(usage).toEqual([expect.objectContaining({ provider: 'gemini', outcome: 'ok' })]);
    expect(usage[0]!.input_tokens).toBeGreaterThan(0);
  });

  it('stores one message and sends one reply when Twilio delivers the same MessageSid twice', async () => {
    const before = await countMessages(t.tenant.id);
    const sid = 'SM' + 'd'.repeat(32);
    const [a, b] = await Promise.all([h.twilioSms(t, '+254700000002', 'Hello?', sid), h.twilioSms(t, '+254700000002', 'Hello?', sid)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.twilio.waitFor(1);
    const again = await h.twilioSms(t, '+254700000002', 'Hello?', sid);
    expect(again.status).toBe(200);
    await h.settled();
    expect(h.twilio.messages).toHaveLength(1);
    expect(await countMessages(t.tenant.id)).toBe(before + 2); // one inbound + one reply
  });

  it('rejects a bad signature and an unknown To with the same 403, and a malformed body (400), storing nothing', async () => {
    const before = await countMessages(t.tenant.id);
    const bad = await h.twilioSms(t, '+254700000003', 'hi', undefined, { signatureToken: 'wrong-token' });
    expect(bad.status).toBe(403);
    const badError = (await bad.json()).error;
    expect(badError).toMatchObject({ code: 'bad_signature' });

    // Same answer as a bad signature (issue 14): registered numbers cannot be enumerated.
    const unknown = await h.twilioSms({ ...t, twilioNumber: '+15550000000' }, '+254700000003', 'hi');
    expect(unknown.status).toBe(403);
    const unknownError = (await unknown.json()).error;
    expect({ ...unknownError, requestId: undefined }).toEqual({ ...badError, requestId: undefined });

    const malformed = await fetch(`${h.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: new URLSearchParams({ From: '+254700000003', Body: 'no sid, no To' }),
    });
    expect(malformed.status).toBe(400);
    const err = (await malformed.json()).error;
    expect(err.code).toBe('bad_request');
    expect(err.requestId).toBeTruthy();

    const huge = await fetch(`${h.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ MessageSid: 'SM' + 'e'.repeat(32), From: '+254700000003', To: t.twilioNumber, Body: 'x'.repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
    await h.settled();
    expect(await countMessages(t.tenant.id)).toBe(before);
    expect(h.twilio.messages).toHaveLength(0);
    expect(h.gemini.requests).toHaveLength(0);
  });
});

describe("Africa's Talking SMS", () => {
  const post = (token: string | undefined, form: Record<string, string>) =>
    fetch(`${h.url}/webhooks/africastalking/sms${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
  const form = (id: string) => ({ from: '+254711000001', to: t.atCode, text: 'Do you have parking?', date: '2026-11-21 10:00:00', id, linkId: 'lk-1' });

  it('answers through the AT messaging API with the fake Gemini text', async () => {
    h.gemini.script({ text: 'Yes, free secure parking for guests.' });
    const res = await post(t.atToken, form('ATXid_1'));
    expect(res.status).toBe(200);
    await h.at.waitFor(1);
    expect(h.at.messages[0]).toMatchObject({
      username: t.atUsername,
      to: '+254711000001',
      from: t.atCode,
      message: 'Yes, free secure parking for guests.',
    });
  });

  it('rejects a missing or wrong token with 403 and a malformed body with 400, storing nothing', async () => {
    const before = await countMessages(t.tenant.id);
    expect((await post(undefined, form('ATXid_2'))).status).toBe(403);
    expect((await post('x'.repeat(43), form('ATXid_3'))).status).toBe(403);
    expect((await post(t.atToken, { from: '+254711000001' })).status).toBe(400);
    expect((await post(t.atToken, { ...form('ATXid_4'), to: '99999' })).status).toBe(404);
    await h.settled();
    expect(await countMessages(t.tenant.id)).toBe(before);
  });

  it('a provider date in the future (AT dates carry no zone) is clamped: the debounce never waits for it', async () => {
    const tz = await h.tenant();
    await h.rt.db.query(`update tenants set settings = '{"debounceMs": 300}' where id = $1`, [tz.tenant.id]);
    h.gemini.script({ text: 'Answered promptly.' });
    const future = new Date(Date.now() + 3 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const res = await post(tz.atToken, { from: '+254711000009', to: tz.atCode, text: 'Hello?', date: future, id: 'ATXid_future', linkId: 'lk-9' });
    expect(res.status).toBe(200);
    await h.at.waitFor(1, 10_000);
    expect(h.at.messages[0]!.message).toBe('Answered promptly.');
    const [m] = await rows(`select created_at <= now() as not_future from messages where external_id = 'ATXid_future'`);
    expect(m!.not_future).toBe(true);
  });

  it('dedupes a repeated AT message id', async () => {
    const r1 = await post(t.atToken, form('ATXid_dup'));
    await h.at.waitFor(1);
    const r2 = await post(t.atToken, form('ATXid_dup'));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await h.settled();
    expect(h.at.messages).toHaveLength(1);
  });
});

describe('provider outages', () => {
  it('Gemini 500 → the reply comes from Groq', async () => {
    h.gemini.script({ status: 500 });
    h.groq.script({ text: 'Groq here: breakfast is served 6:30 to 10:00.' });
    await h.twilioSms(t, '+254700000010', 'When is breakfast?');
    await h.twilio.waitFor(1);
    expect(h.twilio.messages[0]!.body).toBe('Groq here: breakfast is served 6:30 to 10:00.');
    const usage = await rows(
      `select provider, outcome, fallback_depth from ai_usage u join conversations c on c.id = u.conversation_id
       join customers k on k.id = c.customer_id where k.handle = '+254700000010' order by u.id`,
    );
    expect(usage).toEqual([
      expect.objectContaining({ provider: 'gemini', outcome: 'server', fallback_depth: 0 }),
      expect.objectContaining({ provider: 'groq', outcome: 'ok', fallback_depth: 1 }),
    ]);
  });

  it('Gemini hangs past the deadline and Groq fails → OpenAI answers', async () => {
    // The harness sets LLM_ATTEMPT_TIMEOUT_MS=1500, so the hang costs 1.5 s, not 15.
    h.gemini.script({ hang: true });
    h.groq.script({ status: 503 });
    h.openai.script({ text: 'OpenAI here: check-in is from 14:00.' });
    await h.twilioSms(t, '+254700000011', 'Check-in time?');
    await h.twilio.waitFor(1, 10_000);
    expect(h.twilio.messages[0]!.body).toBe('OpenAI here: check-in is from 14:00.');
    const outcomes = (await rows(`select provider, outcome from ai_usage order by id desc limit 3`)).reverse();
    expect(outcomes).toEqual([
      { provider: 'gemini', outcome: 'timeout' },
      { provider: 'groq', outcome: 'server' },
      { provider: 'openai', outcome: 'ok' },
    ]);
  });

  it('all providers down → the offline reply is sent and the conversation is flagged for staff', async () => {
    h.gemini.script({ status: 500 });
    h.groq.script({ status: 500 });
    h.openai.script({ status: 500 });
    await h.twilioSms(t, '+254700000012', 'Is the pool open?');
    await h.twilio.waitFor(1);
    expect(h.twilio.messages[0]!.body).toMatch(/get back to you/i);
    const [conv] = await rows(
      `select c.needs_human, c.needs_human_reason, c.owner from conversations c join customers k on k.id = c.customer_id where k.handle = '+254700000012'`,
    );
    expect(conv).toMatchObject({ needs_human: true, needs_human_reason: 'ai_unavailable', owner: 'unassigned' });
    // The customer's message was stored first and is not lost.
    const [inbound] = await rows(`select text, status from messages where text = 'Is the pool open?'`);
    expect(inbound).toMatchObject({ status: 'processed' });
  });

  it('Twilio REST API failing transiently → the outbound job retries and the reply still arrives once', async () => {
    h.twilio.failNext(503, 1);
    h.gemini.script({ text: 'We open at 7.' });
    await h.twilioSms(t, '+254700000013', 'Opening time?');
    await h.twilio.waitFor(1, 15_000);
    expect(h.twilio.messages).toHaveLength(1);
    expect(h.twilio.attempts).toBe(2);
  });
});

describe('operational endpoints', () => {
  it('serves healthz, readyz and metrics with the contract counters', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/aizalo_llm_requests_total\{provider="gemini",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/aizalo_messages_total\{channel="sms",direction="inbound"\} \d+/);
    expect(metrics).toMatch(/aizalo_messages_total\{channel="sms",direction="outbound"\} \d+/);
  });

  it('answers unknown routes with the one error shape', async () => {
    const res = await fetch(`${h.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String), requestId: expect.any(String) } });
  });
});
