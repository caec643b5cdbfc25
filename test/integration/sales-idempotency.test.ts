/**
 * The sales assistant under retries, concurrency and SMS pumping (real PostgreSQL + Redis, fake
 * Twilio): `/onboard` runs once per inbound message whatever fails after it, its reply goes out
 * once through the `outbound` queue (claim + retry), and an unknown number gets at most one
 * refusal per 24 h while every inbound is still stored.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerSalesMessage, REFUSAL, type SalesAssistantDeps } from '../../agents/sales/assistant.ts';
import { platformUsers } from '../../core/db/schema/index.ts';
import { storePlatformInbound } from '../../core/services/platform/platform-messages.ts';
import { createChannel, type ChannelRow } from '../../core/services/tenancy/channels.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let platform: TestTenant;
let channel: ChannelRow;
const REP = '+254711000222';
const rows = async (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);
const tenantsLike = async (slug: string) =>
  (await rows(`select slug from tenants where slug = $1 or slug like $2 order by slug`, [slug, `${slug}-%`])).map((r) => r.slug);

/** Assistant deps as the runtime wires them: replies go to the runtime's real `outbound` queue. */
const deps = (): SalesAssistantDeps => ({
  db: h.rt.db,
  router: h.rt.router,
  log: h.rt.log,
  queue: h.rt.queue,
  secretKey: h.rt.cfg.secretKey,
  publicUrl: h.rt.cfg.publicUrl,
});
/** Store an inbound on the platform number without enqueueing it (the test drives the answer). */
const inbound = async (phone: string, text: string) =>
  (await storePlatformInbound(h.rt.db, { channelId: channel.id, phone, externalId: `SM${randomBytes(16).toString('hex')}`, text })).id;

beforeAll(async () => {
  h = await startHarness();
  const twilioNumber = `+1555${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const twilioSid = `AC${randomBytes(16).toString('hex')}`;
  const twilioToken = randomBytes(16).toString('hex');
  h.twilio.addAccount(twilioSid, twilioToken);
  ({ channel } = await createChannel(h.rt.db, h.rt.box, { tenantId: null, type: 'sms', provider: 'twilio', address: twilioNumber, credentials: { accountSid: twilioSid, authToken: twilioToken } }));
  platform = { twilioNumber, twilioSid, twilioToken } as TestTenant;
  await h.rt.db.withPlatform((tx) => tx.insert(platformUsers).values({ email: 'rep2@aizalo.test', passwordHash: 'x', role: 'sales', name: 'Otieno', phone: REP }));
});
afterAll(async () => h?.close());
beforeEach(() => h.twilio.reset());

describe('/onboard is idempotent per inbound message', () => {
  it('a failure storing the reply rolls the onboarding back; the retry creates one tenant and one reply', async () => {
    const id = await inbound(REP, '/onboard Kilifi Beach Hotel; hotel; +254712000001; owner@kilifi.test; starter');
    await h.rt.db.execScript(`
      CREATE FUNCTION test_fail_reply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.direction = 'outbound' THEN RAISE EXCEPTION 'test: storing the reply fails'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_fail_reply BEFORE INSERT ON platform_messages FOR EACH ROW EXECUTE FUNCTION test_fail_reply();`);
    try {
      await expect(answerSalesMessage(deps(), id)).rejects.toMatchObject({ cause: { message: 'test: storing the reply fails' } });
    } finally {
      await h.rt.db.execScript(`DROP TRIGGER test_fail_reply ON platform_messages; DROP FUNCTION test_fail_reply();`);
    }
    expect(await tenantsLike('kilifi-beach-hotel')).toEqual([]);

    await answerSalesMessage(deps(), id);
    await h.twilio.waitFor(1);
    await h.settled(['outbound']);
    await answerSalesMessage(deps(), id); // a redelivery after success: nothing new
    await h.settled(['outbound']);
    expect(await tenantsLike('kilifi-beach-hotel')).toEqual(['kilifi-beach-hotel']);
    const [t] = await rows(`select s.status from tenants t join subscriptions s on s.tenant_id = t.id where t.slug = 'kilifi-beach-hotel'`);
    expect(t).toEqual({ status: 'trial' });
    expect(h.twilio.messages).toHaveLength(1);
    expect(h.twilio.messages[0]!.body).toContain('Slug: kilifi-beach-hotel');
  });

  it('a send failure is retried by the outbound queue with the same stored reply, not a second onboarding', async () => {
    const id = await inbound(REP, '/onboard Nanyuki Hardware; hardware; +254712000002; owner@nanyuki.test; growth');
    h.twilio.failNext(503);
    await answerSalesMessage(deps(), id);
    await h.twilio.waitFor(1, 15_000);
    await h.settled(['outbound']);
    const [stored] = await rows(`select text, status, external_id from platform_messages where in_reply_to = $1`, [id]);
    expect(await tenantsLike('nanyuki-hardware')).toEqual(['nanyuki-hardware']);
    expect(h.twilio.attempts).toBe(2); // the 503, then the retry
    expect(h.twilio.messages.map((m) => m.body)).toEqual([stored!.text]);
    expect(stored).toMatchObject({ status: 'sent', external_id: h.twilio.messages[0]!.sid });
  });

  it('two concurrent runs of one inbound onboard once and store one reply', async () => {
    const id = await inbound(REP, '/onboard Eldoret Dental Clinic; clinic; +254712000003; owner@eldoret.test; professional');
    await Promise.all([answerSalesMessage(deps(), id), answerSalesMessage(deps(), id)]);
    await h.twilio.waitFor(1);
    await h.settled(['outbound']);
    expect(await tenantsLike('eldoret-dental-clinic')).toEqual(['eldoret-dental-clinic']);
    expect(await rows(`select count(*)::int as n from platform_messages where in_reply_to = $1`, [id])).toEqual([{ n: 1 }]);
    // The delivery's claim sends the one reply once, however many runs enqueued it.
    expect(h.twilio.messages).toHaveLength(1);
  });

  it('the database refuses a second reply to one inbound', async () => {
    const id = await inbound(REP, '/help');
    await answerSalesMessage(deps(), id);
    await h.twilio.waitFor(1);
    await expect(
      rows(`insert into platform_messages (channel_id, phone, direction, text, in_reply_to) values ($1, $2, 'outbound', 'dup', $3)`, [channel.id, REP, id]),
    ).rejects.toThrow(/platform_messages_in_reply_to_key/);
  });
});

describe('refusals to unknown numbers', () => {
  it('sends at most one refusal per number per 24 h and still stores every inbound', async () => {
    const stranger = `+2547${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const processed = () => rows(`select count(*)::int as n from platform_messages where phone = $1 and direction = 'inbound' and status = 'processed'`, [stranger]);
    for (const body of ['hello', 'hello?', 'HELLO']) expect((await h.twilioSms(platform, stranger, body)).status).toBe(200);
    await h.until(async () => (await processed())[0]!.n === 3, 10_000, 'three inbounds answered');
    expect(h.twilio.messages.filter((m) => m.to === stranger).map((m) => m.body)).toEqual([REFUSAL]);

    // A day later the number may be told again, once.
    await rows(`update platform_messages set created_at = created_at - interval '25 hours' where phone = $1`, [stranger]);
    expect((await h.twilioSms(platform, stranger, 'anyone?')).status).toBe(200);
    await h.twilio.waitFor(2);
    await h.until(async () => (await processed())[0]!.n === 4, 10_000, 'fourth inbound answered');
    expect(h.twilio.messages.filter((m) => m.to === stranger)).toHaveLength(2);
  });
});
