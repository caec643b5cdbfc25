/**
 * The sales onboarding loop closes (issue 12): a rep's `/onboard` over SMS to the platform number
 * (signed Twilio webhook, fake Twilio REST API) sends the new owner their invite directly — an SMS
 * from the platform number and an email (real SMTP sink) — and the invite page's API names the
 * business. The owner cannot sign in before accepting; after accepting, they are signed in and can
 * sign in again with the business slug.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformUsers } from '../../core/db/schema/index.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { api } from '../helpers/api.ts';
import { loginAs } from '../helpers/auth.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

let h: Harness;
let sink: SmtpSink;
let platform: TestTenant;
const REP = '+254711000333';
const OWNER_PHONE = '+254712999001';
const OWNER_EMAIL = 'wambui@nyeri-guesthouse.test';

beforeAll(async () => {
  sink = await startSmtpSink();
  h = await startHarness({ env: { SMTP_URL: sink.url } });
  const twilioNumber = `+1555${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const twilioSid = `AC${randomBytes(16).toString('hex')}`;
  const twilioToken = randomBytes(16).toString('hex');
  h.twilio.addAccount(twilioSid, twilioToken);
  await createChannel(h.rt.db, h.rt.box, { tenantId: null, type: 'sms', provider: 'twilio', address: twilioNumber, credentials: { accountSid: twilioSid, authToken: twilioToken } });
  platform = { twilioNumber, twilioSid, twilioToken } as TestTenant;
  await h.rt.db.withPlatform((tx) => tx.insert(platformUsers).values({ email: 'rep3@aizalo.test', passwordHash: 'x', role: 'sales', name: 'Achieng', phone: REP }));
});
afterAll(async () => {
  await h?.close();
  await sink?.close();
});

describe('/onboard sends the owner their invite', () => {
  it('by SMS from the platform number and by email; the invite names the business and works once', async () => {
    const res = await h.twilioSms(platform, REP, `/onboard Nyeri Guest House; hotel; ${OWNER_PHONE}; ${OWNER_EMAIL}; starter`);
    expect(res.status).toBe(200);

    const sms = (await h.until(() => h.twilio.messages.find((m) => m.to === OWNER_PHONE), 15_000, "the owner's SMS"))!;
    expect(sms).toMatchObject({ from: platform.twilioNumber, accountSid: platform.twilioSid });
    expect(sms.body).toContain('Nyeri Guest House');
    const link = /https:\/\/aizalo\.test\/app\/invite\?token=([^&\s]+)&tenant=(nyeri-guest-house)/.exec(sms.body)!;
    expect(link, sms.body).toBeTruthy();
    expect(sms.body.replace(link[0], '')).not.toMatch(/[*_#<>]/); // plain SMS around the link
    const token = decodeURIComponent(link[1]!);

    const mail = await sink.waitFor(OWNER_EMAIL);
    expect(mail.subject).toContain('Nyeri Guest House');
    expect(mail.text).toContain(link[0]);

    const toRep = (await h.until(() => h.twilio.messages.find((m) => m.to === REP), 15_000, "the rep's reply"))!;
    expect(toRep.body).toContain(`sent to ${OWNER_PHONE} by SMS and to ${OWNER_EMAIL}`);
    await h.settled(['outbound']);
    const notices = await h.rt.db.query<{ status: string; in_reply_to: string | null }>(`select status, in_reply_to from platform_messages where phone = $1`, [OWNER_PHONE]);
    expect(notices).toEqual([{ status: 'sent', in_reply_to: null }]);

    // Not signed in before accepting, whatever the password.
    expect((await api(h, 'POST', '/api/auth/login', { body: { email: OWNER_EMAIL, password: 'guess-the-password', tenant: 'nyeri-guest-house' } })).status).toBe(401);
    const preview = await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(token)}`);
    expect(preview).toMatchObject({ status: 200, body: { email: OWNER_EMAIL, tenant: { slug: 'nyeri-guest-house', name: 'Nyeri Guest House' } } });

    const accepted = await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'wambui-chose-this' } });
    expect(accepted).toMatchObject({ status: 200, body: { user: { role: 'owner', email: OWNER_EMAIL }, tenant: { slug: 'nyeri-guest-house' } } });
    const again = await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'someone-else-now' } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_invite' } } });
    const s = await loginAs(h, { email: OWNER_EMAIL, password: 'wambui-chose-this', tenant: 'nyeri-guest-house' });
    const team = await api(h, 'GET', '/api/tenant/users', { headers: s.headers });
    expect(team.body.items).toEqual([expect.objectContaining({ email: OWNER_EMAIL, role: 'owner', status: 'active', phone: OWNER_PHONE })]);
  });
});
