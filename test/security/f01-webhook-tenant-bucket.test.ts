/**
 * Finding 1: anyone could block a tenant's inbound SMS — the Twilio webhook charged the tenant's
 * rate-limit bucket (keyed on the body's `To`) before checking the signature, so unsigned POSTs
 * naming the tenant's number made its next genuine SMS answer 429. Now the signature is checked
 * first, failures go to the sender address's own bucket, and only verified requests use the
 * tenant's bucket (same for Africa's Talking's URL token).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { from, startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;
const TENANT_LIMIT = 20;
const FAILURES_PER_IP = 10;

beforeAll(async () => {
  h = await startSecurityHarness({ RATE_LIMIT_WEBHOOK_PER_TENANT: String(TENANT_LIMIT), RATE_LIMIT_WEBHOOK_FAILURES_PER_IP: String(FAILURES_PER_IP) });
  t = await h.tenant();
});
afterAll(async () => h?.close());

const inboundCount = async (tenantId: string) =>
  (await h.rt.db.query<{ n: number }>(`select count(*)::int n from messages where tenant_id = $1 and direction = 'inbound'`, [tenantId]))[0]!.n;

const unsignedTwilio = (to: string, ip: string) =>
  fetch(`${h.url}/webhooks/twilio/sms`, {
    method: 'POST',
    headers: from(ip, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' }),
    body: new URLSearchParams({ MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+254700111222', To: to, Body: 'flood' }),
  });

describe('finding 1: unsigned webhooks cannot use up a tenant bucket', () => {
  it("a flood of unsigned Twilio POSTs naming the tenant's number leaves its genuine SMS answered", async () => {
    h.gemini.setReply(() => ({ text: 'Still here for you.' }));
    const statuses: number[] = [];
    for (let i = 0; i < TENANT_LIMIT * 2; i++) statuses.push((await unsignedTwilio(t.twilioNumber, '203.0.113.7')).status);
    // Failures are limited on the attacker's own address: 403 first, then 429.
    expect(statuses.slice(0, FAILURES_PER_IP)).toEqual(Array(FAILURES_PER_IP).fill(403));
    expect(new Set(statuses.slice(FAILURES_PER_IP))).toEqual(new Set([429]));
    // Another address still gets the plain 403, not the attacker's 429.
    expect((await unsignedTwilio(t.twilioNumber, '198.51.100.9')).status).toBe(403);

    const genuine = await h.twilioSms(t, '+254700000001', 'Do you have a room tonight?');
    expect(genuine.status).toBe(200);
    await h.twilio.waitFor(1);
    expect(await inboundCount(t.tenant.id)).toBe(1);
  });

  it('the same for Africa\'s Talking: wrong tokens never touch the channel\'s bucket', async () => {
    const at = await h.tenant();
    const post = (token: string, ip: string) =>
      fetch(`${h.url}/webhooks/africastalking/sms?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: from(ip, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: new URLSearchParams({ from: '+254711000009', to: at.atCode, text: 'hello', id: `ATX${randomBytes(6).toString('hex')}` }),
      });
    for (let i = 0; i < TENANT_LIMIT + 5; i++) expect([403, 429]).toContain((await post(`wrong-${randomBytes(12).toString('hex')}`, '203.0.113.8')).status);
    expect((await post(at.atToken, '127.0.0.1')).status).toBe(200);
    await h.until(async () => (await inboundCount(at.tenant.id)) === 1, 10_000, 'the genuine AT message stored');
  });

  it('verified requests still share the tenant bucket (429 + Retry-After past it), nothing stored past it', async () => {
    const v = await h.tenant();
    const codes: number[] = [];
    for (let i = 0; i < TENANT_LIMIT + 1; i++) codes.push((await h.twilioSms(v, '+254700000077', `hi ${i}`)).status);
    expect(codes.slice(0, TENANT_LIMIT)).toEqual(Array(TENANT_LIMIT).fill(200));
    const over = await h.twilioSms(v, '+254700000077', 'over');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await inboundCount(v.tenant.id)).toBe(TENANT_LIMIT);
  });
});
