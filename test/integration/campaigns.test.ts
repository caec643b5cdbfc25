/**
 * Campaigns over HTTP on real PostgreSQL + Redis/BullMQ: a broadcast to a tenant's SMS customers
 * reaches the fake Twilio exactly once per customer, a second send is refused (409) and sends
 * nothing; audience filters, content-library text, cancel, cross-tenant ids, malformed input and
 * missing permissions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { signedIn, type Session } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { openConversation, upsertCustomer } from '../../core/services/conversations/ingest.ts';

let h: Harness;
let t: TestTenant;
let other: TestTenant;
let admin: Awaited<ReturnType<typeof signedIn>>;
let smsChannel: string;

const q = async (sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);
const one = async (sql: string, params: unknown[] = []) => (await q(sql, params))[0]!;
const channelOf = async (tt: TestTenant, provider: string) => (await one(`select id from channels where tenant_id = $1 and provider = $2`, [tt.tenant.id, provider])).id as string;

/** A customer with an open conversation on `channelId`, through the same ingest helpers inbound uses. */
async function customerOn(tt: TestTenant, channelId: string, handle: string): Promise<{ customerId: string; conversationId: string }> {
  return h.rt.db.withTenant(tt.tenant.id, async (tx) => {
    const customerId = await upsertCustomer(tx, tt.tenant.id, handle);
    return { customerId, conversationId: await openConversation(tx, tt.tenant.id, customerId, channelId) };
  });
}

beforeAll(async () => {
  h = await startHarness();
  [t, other] = [await h.tenant(), await h.tenant()];
  smsChannel = await channelOf(t, 'twilio');
  for (const n of ['+254733000001', '+254733000002', '+254733000003']) await customerOn(t, smsChannel, n);
  await customerOn(t, await channelOf(t, 'africastalking'), '+254733000009'); // another channel: not in the audience
  admin = await signedIn(h, { tenantId: t.tenant.id, role: 'admin' });
});
afterAll(async () => h?.close());
beforeEach(() => h.twilio.reset());

const create = (s: Session, body: Record<string, unknown>) => api(h, 'POST', '/api/tenant/campaigns', { headers: s.headers, body });

describe('campaigns', () => {
  it('sends one SMS per customer on the channel, once: a second send is 409 and sends nothing', async () => {
    const created = await create(admin, { name: 'Easter offer', channelId: smsChannel, text: 'Easter: 20% off rooms this weekend!' });
    expect(created.status).toBe(201);
    expect(created.body.campaign).toMatchObject({ status: 'draft', recipientCount: 0, createdBy: admin.cred.id });
    const id = created.body.campaign.id;

    const sent = await api(h, 'POST', `/api/tenant/campaigns/${id}/send`, { headers: admin.headers });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ recipients: 3, campaign: { status: 'sent', recipientCount: 3 } });
    await h.twilio.waitFor(3);
    expect(h.twilio.messages.map((m) => m.to).sort()).toEqual(['+254733000001', '+254733000002', '+254733000003']);
    for (const m of h.twilio.messages) expect(m).toMatchObject({ from: t.twilioNumber, body: 'Easter: 20% off rooms this weekend!' });

    const again = await api(h, 'POST', `/api/tenant/campaigns/${id}/send`, { headers: admin.headers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_transition');
    await h.settled();
    expect(h.twilio.messages).toHaveLength(3);
    const rows = await q(`select m.sender, m.status from campaign_recipients r join messages m on m.id = r.message_id where r.campaign_id = $1`, [id]);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.sender === 'system' && r.status === 'sent')).toBe(true);

    const got = await api(h, 'GET', `/api/tenant/campaigns/${id}`, { headers: admin.headers });
    expect(got.body.campaign).toMatchObject({ status: 'sent', recipients: { sent: 3 } });
    const audit = await q(`select action from audit_log where tenant_id = $1 and target = $2 order by id`, [t.tenant.id, id]);
    expect(audit.map((r) => r.action)).toEqual(['campaign.create', 'campaign.send']);
    const list = await api(h, 'GET', '/api/tenant/campaigns', { headers: admin.headers });
    expect(list.body.campaigns.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('concurrent sends of one campaign message each customer once', async () => {
    const { body } = await create(admin, { name: 'Race', channelId: smsChannel, text: 'Race test' });
    const id = body.campaign.id;
    const results = await Promise.all([1, 2, 3].map(() => api(h, 'POST', `/api/tenant/campaigns/${id}/send`, { headers: admin.headers })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    await h.twilio.waitFor(3);
    await h.settled();
    expect(h.twilio.messages).toHaveLength(3);
  });

  it('filters the audience by customerIds and lastActiveDays', async () => {
    const recent = await customerOn(t, smsChannel, '+254733000011');
    const stale = await customerOn(t, smsChannel, '+254733000012');
    const ins = (c: { conversationId: string }, ago: string) =>
      q(`insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, created_at)
         values ($1, $2, $3, 'inbound', 'customer', 'hi', 'processed', now() - $4::interval)`, [t.tenant.id, c.conversationId, smsChannel, ago]);
    await ins(recent, '1 day');
    await ins(stale, '20 days');
    const { body } = await create(admin, {
      name: 'Recent only',
      channelId: smsChannel,
      text: 'For our regulars',
      audience: { lastActiveDays: 7, customerIds: [recent.customerId, stale.customerId] },
    });
    const sent = await api(h, 'POST', `/api/tenant/campaigns/${body.campaign.id}/send`, { headers: admin.headers });
    expect(sent.body.recipients).toBe(1);
    await h.twilio.waitFor(1);
    await h.settled();
    expect(h.twilio.messages.map((m) => m.to)).toEqual(['+254733000011']);
  });

  it('takes its text from an approved content item only; cancels drafts', async () => {
    const req = await one(`insert into content_requests (tenant_id, kind, goal, tone) values ($1, 'broadcast', 'fill rooms', 'warm') returning id`, [t.tenant.id]);
    const item = await one(
      `insert into content_items (tenant_id, request_id, kind, variant, body, provider, model) values ($1, $2, 'broadcast', 1, 'Karibu tena!', 'gemini', 'm') returning id`,
      [t.tenant.id, req.id],
    );
    const draft = await create(admin, { name: 'From library', channelId: smsChannel, contentItemId: item.id });
    expect(draft.status).toBe(400);
    expect(draft.body.error.code).toBe('content_not_approved');
    await q(`update content_items set status = 'approved' where id = $1`, [item.id]);
    const ok = await create(admin, { name: 'From library', channelId: smsChannel, contentItemId: item.id });
    expect(ok.status).toBe(201);
    expect(ok.body.campaign).toMatchObject({ text: 'Karibu tena!', contentItemId: item.id });

    const canceled = await api(h, 'POST', `/api/tenant/campaigns/${ok.body.campaign.id}/cancel`, { headers: admin.headers });
    expect(canceled.body.campaign.status).toBe('canceled');
    const send = await api(h, 'POST', `/api/tenant/campaigns/${ok.body.campaign.id}/send`, { headers: admin.headers });
    expect(send.status).toBe(409);
    await h.settled();
    expect(h.twilio.messages).toHaveLength(0);
  });

  it('answers 400 for malformed input, 404 for other tenants\' ids, 403 for viewer and staff', async () => {
    const { body } = await create(admin, { name: 'Mine', channelId: smsChannel, text: 'hello' });
    const id = body.campaign.id;
    for (const bad of [
      { name: 'x', channelId: 'not-a-uuid', text: 'hi' },
      { name: 'x', channelId: smsChannel },
      { name: 'x', channelId: smsChannel, text: 'hi', contentItemId: id },
      { name: '', channelId: smsChannel, text: 'hi' },
      { name: 'x', channelId: smsChannel, text: 'hi', audience: { lastActiveDays: 0 } },
    ]) expect((await create(admin, bad)).status, JSON.stringify(bad)).toBe(400);
    expect((await api(h, 'GET', '/api/tenant/campaigns/nope', { headers: admin.headers })).status).toBe(400);
    expect((await create(admin, { name: 'web', channelId: await channelOf(t, 'webchat'), text: 'hi' })).status).toBe(400);

    const stranger = await signedIn(h, { tenantId: other.tenant.id, role: 'owner' });
    for (const [method, path] of [['GET', `/api/tenant/campaigns/${id}`], ['POST', `/api/tenant/campaigns/${id}/send`], ['POST', `/api/tenant/campaigns/${id}/cancel`]] as const)
      expect((await api(h, method, path, { headers: stranger.headers })).status, path).toBe(404);
    const foreign = await create(stranger, { name: 'steal', channelId: smsChannel, text: 'hi' });
    expect(foreign.status).toBe(404);
    expect((await api(h, 'GET', '/api/tenant/campaigns', { headers: stranger.headers })).body.campaigns).toEqual([]);

    for (const role of ['viewer', 'staff'] as const) {
      const s = await signedIn(h, { tenantId: t.tenant.id, role });
      expect((await create(s, { name: 'no', channelId: smsChannel, text: 'hi' })).status).toBe(403);
      expect((await api(h, 'POST', `/api/tenant/campaigns/${id}/send`, { headers: s.headers })).status).toBe(403);
      expect((await api(h, 'POST', `/api/tenant/campaigns/${id}/cancel`, { headers: s.headers })).status).toBe(403);
      expect((await api(h, 'GET', `/api/tenant/campaigns/${id}`, { headers: s.headers })).status).toBe(200);
    }
    expect((await one(`select status from campaigns where id = $1`, [id])).status).toBe('draft');
    await h.settled();
    expect(h.twilio.messages).toHaveLength(0);
  });
});
