/**
 * Sales reps onboarding by chat, end to end over the fake Twilio SMS on real PostgreSQL + Redis:
 * signed webhook to the platform's own number → platform_messages → `sales_inbound` job → sales
 * assistant → reply through the Twilio REST API (fake).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformUsers } from '../../core/db/schema/index.ts';
import { acceptInvite } from '../../core/services/platform/invites.ts';
import { recordPayment } from '../../core/services/platform/payments.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { REFUSAL } from '../../agents/sales/assistant.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let platform: TestTenant;
let repId: string;
const REP = '+254711000111';
const rows = async (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);

/** Send an SMS from `from` to the platform number; resolves with the assistant's reply text. */
async function chat(from: string, body: string, sid?: string): Promise<string> {
  const before = h.twilio.messages.length;
  const res = await h.twilioSms(platform, from, body, sid);
  expect(res.status).toBe(200);
  // The reply to `from` (an /onboard also texts the new owner from the platform number).
  const msg = (await h.until(() => h.twilio.messages.slice(before).find((m) => m.to === from), 10_000, `a reply to ${from}`))!;
  expect(msg).toMatchObject({ to: from, from: platform.twilioNumber, accountSid: platform.twilioSid });
  return msg.body;
}

beforeAll(async () => {
  h = await startHarness();
  const twilioNumber = `+1555${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const twilioSid = `AC${randomBytes(16).toString('hex')}`;
  const twilioToken = randomBytes(16).toString('hex');
  h.twilio.addAccount(twilioSid, twilioToken);
  await createChannel(h.rt.db, h.rt.box, {
    tenantId: null,
    type: 'sms',
    provider: 'twilio',
    address: twilioNumber,
    credentials: { accountSid: twilioSid, authToken: twilioToken },
  });
  platform = { twilioNumber, twilioSid, twilioToken } as TestTenant;
  const [rep] = await h.rt.db.withPlatform((tx) =>
    tx.insert(platformUsers).values({ email: 'rep@aizalo.test', passwordHash: 'x', role: 'sales', name: 'Wanjiku', phone: REP }).returning(),
  );
  repId = rep!.id;
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});

describe('sales assistant over SMS', () => {
  it('onboards a business from a rep’s phone, then /clients and /commission show it', async () => {
    const reply = await chat(REP, '/onboard Mama Oliech Restaurant; restaurants; +254712345678; Owner@MamaOliech.test; starter');
    expect(reply).toContain('Slug: mama-oliech-restaurant');
    expect(reply).toContain('https://aizalo.test/chat/mama-oliech-restaurant');
    expect(reply).toMatch(/https:\/\/aizalo\.test\/app\/invite\?token=\S+&tenant=mama-oliech-restaurant/);
    expect(reply).toMatch(/Next steps/);
    const [t] = await rows(`select t.id, t.status, t.plan_id, t.industry, t.assigned_sales_rep_id, s.status as sub, s.trial_ends_at
      from tenants t join subscriptions s on s.tenant_id = t.id where t.slug = 'mama-oliech-restaurant'`);
    expect(t).toMatchObject({ status: 'trial', plan_id: 'starter', industry: 'restaurants', assigned_sales_rep_id: repId, sub: 'trial' });
    expect(new Date(t!.trial_ends_at).getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    const owners = await rows(`select email, role, phone from tenant_users where tenant_id = $1`, [t!.id]);
    expect(owners).toEqual([{ email: 'owner@mamaoliech.test', role: 'owner', phone: '+254712345678' }]);

    // The invite link sets the owner's password once.
    // The owner got the same link by SMS from the platform number.
    const toOwner = (await h.until(() => h.twilio.messages.find((m) => m.to === '+254712345678'), 10_000, "the owner's invite SMS"))!;
    expect(toOwner).toMatchObject({ from: platform.twilioNumber });
    const token = decodeURIComponent(/invite\?token=([^&\s]+)/.exec(reply)![1]!);
    expect(toOwner.body).toContain(`token=${encodeURIComponent(token)}`);
    await expect(acceptInvite(h.rt.db, h.rt.cfg.secretKey, token, 'new-password-123')).resolves.toMatchObject({ tenantId: t!.id });
    await expect(acceptInvite(h.rt.db, h.rt.cfg.secretKey, token, 'another-password')).rejects.toMatchObject({ code: 'invalid_invite' });

    const clients = await chat(REP, '/clients');
    expect(clients).toContain('Mama Oliech Restaurant (mama-oliech-restaurant) - trial, starter');
    const commission = await chat(REP, '/commission');
    expect(commission).toContain('In trial (1): Mama Oliech Restaurant');
    expect(commission).toContain('Commission this month: KES 0');

    // First payment: 20 % of KES 2,500 = KES 500 pending.
    await recordPayment(h.rt.db, { tenantId: t!.id, reference: 'MPESA-QWE123', amountCents: 250_000, method: 'mpesa' });
    const after = await chat(REP, '/commission');
    expect(after).toContain('Commission this month: KES 500 (KES 500 pending');
    expect(await chat(REP, '/clients')).toContain('Mama Oliech Restaurant (mama-oliech-restaurant) - active, starter, KES 2,500/month');
  });

  it('refuses an unknown number politely and does nothing else', async () => {
    const before = await rows(`select (select count(*) from tenants)::int as t, (select count(*) from sales_leads)::int as l`);
    const reply = await chat('+254799999999', '/onboard Evil Corp; tech; +254700000000; a@b.test; growth');
    expect(reply).toBe(REFUSAL);
    expect(h.gemini.requests).toHaveLength(0);
    const after = await rows(`select (select count(*) from tenants)::int as t, (select count(*) from sales_leads)::int as l`);
    expect(after).toEqual(before);
  });

  it('answers a malformed /onboard with its usage and creates nothing', async () => {
    const before = await rows(`select count(*)::int as n from tenants`);
    const reply = await chat(REP, '/onboard Half Done Hardware; hardware');
    expect(reply).toMatch(/^Usage: \/onboard <business>; <industry>; <owner phone>; <owner email>; <plan>/);
    const bad = await chat(REP, '/onboard Bad Phone Ltd; law; 0712; x@y.test; starter');
    expect(bad).toContain('owner phone must be E.164');
    expect(await rows(`select count(*)::int as n from tenants`)).toEqual(before);
  });

  it('turns free text into the same tool calls through the model', async () => {
    h.gemini.script({ toolCalls: [{ name: 'add_lead', args: { name: 'Sunrise Salon', phone: '+254722000111', industry: 'beauty' } }] });
    const saved = await chat(REP, 'nimepata lead mpya: Sunrise Salon, 0722 000111, salon');
    expect(saved).toContain('Lead saved: Sunrise Salon +254722000111');
    expect(h.gemini.requests[0]!.lastUserText).toContain('Sunrise Salon');
    h.gemini.script({ toolCalls: [{ name: 'list_leads', args: {} }] });
    expect(await chat(REP, 'show me my leads')).toContain('1. Sunrise Salon +254722000111 (beauty) - new');
    expect(await chat(REP, '/leads')).toContain('1. Sunrise Salon +254722000111 (beauty) - new');
  });

  it('sends one reply when Twilio redelivers the same MessageSid', async () => {
    const sid = 'SM' + 'e'.repeat(32);
    await chat(REP, '/help', sid);
    const again = await h.twilioSms(platform, REP, '/help', sid);
    expect(again.status).toBe(200);
    // The webhook answered after storing (nothing new) and enqueueing (nothing): let the queues settle.
    await h.settled(['sales_inbound', 'outbound']);
    expect(h.twilio.messages).toHaveLength(1);
  });
});
