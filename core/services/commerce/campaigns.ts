/**
 * Campaigns: a tenant broadcasts one text to its customers through one of its channels (SMS or
 * WhatsApp). Lifecycle draft → sending → sent, or draft → canceled.
 *
 * Sending resolves the audience (customers who have a conversation on the campaign's channel,
 * optionally only those who wrote on it in the last `lastActiveDays` days and/or only
 * `customerIds`), then in ONE tenant transaction: locks the campaign, inserts one
 * campaign_recipients row per customer (primary key campaign + customer, so a customer is never
 * messaged twice by one campaign), one queued outbound message per recipient (sender 'system', in
 * the customer's open conversation on that channel, opened if needed) and the audit entry. After
 * commit the caller enqueues `outbound` with jobId = message id (`enqueueCampaign`); a lost
 * enqueue is picked up by the recovery sweep (queued outbound messages), never sent twice.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { campaigns, channels, contentItems, type CampaignAudience } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import type { JobQueue } from '../../queue.ts';
import { auditTx, type ActorType } from '../tenancy/audit.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
export const MAX_CAMPAIGN_TEXT_CHARS = 2000;
/** Upper bound of recipients per campaign (one transaction holds them all). */
export const MAX_CAMPAIGN_RECIPIENTS = 5000;

export class CampaignError extends AppError {}

export interface CampaignActor {
  type: ActorType;
  id: string | null;
  /** Set for tenant users only (campaigns.created_by references tenant_users). */
  tenantUserId?: string | null;
  ip?: string | null;
}

export interface NewCampaign {
  name: string;
  channelId: string;
  text?: string;
  contentItemId?: string;
  audience?: CampaignAudience;
}

/**
 * Create a draft. The text is `text`, or the body of an approved/published content item.
 * @throws CampaignError 400 (neither/both of text and contentItemId, empty or too long text, item
 *   not approved, web-chat or inactive channel), 404 (channel or content item not in this tenant).
 */
export async function createCampaign(tx: Tx, tenantId: string, input: NewCampaign, actor: CampaignActor): Promise<CampaignRow> {
  if ((input.text === undefined) === (input.contentItemId === undefined))
    throw new CampaignError('bad_request', 'give exactly one of text and contentItemId');
  const [ch] = await tx.select().from(channels).where(eq(channels.id, input.channelId));
  if (!ch) throw new CampaignError('channel_not_found', 'No such channel');
  if (ch.type === 'webchat') throw new CampaignError('unsupported_channel', 'campaigns go out over SMS or WhatsApp, not web chat');
  if (ch.status !== 'active') throw new CampaignError('channel_inactive', `channel is ${ch.status}`);
  let text = input.text;
  if (input.contentItemId) {
    const [item] = await tx.select().from(contentItems).where(eq(contentItems.id, input.contentItemId));
    if (!item) throw new CampaignError('content_not_found', 'No such content item');
    if (item.status === 'draft') throw new CampaignError('content_not_approved', 'approve the content item first');
    text = item.body;
  }
  text = text!.trim();
  if (!text || text.length > MAX_CAMPAIGN_TEXT_CHARS)
    throw new CampaignError('invalid_text', `campaign text must have 1-${MAX_CAMPAIGN_TEXT_CHARS} characters`);
  const [row] = await tx
    .insert(campaigns)
    .values({
      tenantId,
      name: input.name.trim(),
      channelId: ch.id,
      text,
      contentItemId: input.contentItemId ?? null,
      audience: input.audience ?? {},
      createdBy: actor.tenantUserId ?? null,
    })
    .returning();
  await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, action: 'campaign.create', target: row!.id, ip: actor.ip, data: { channelId: ch.id } });
  return row!;
}

export async function listCampaigns(tx: Tx): Promise<CampaignRow[]> {
  return tx.select().from(campaigns).orderBy(desc(campaigns.createdAt)).limit(200);
}

/** One campaign with its recipients counted by delivery status (the message's status). */
export async function getCampaign(tx: Tx, id: string): Promise<(CampaignRow & { recipients: Record<string, number> }) | undefined> {
  const [row] = await tx.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) return undefined;
  const res = await tx.execute(sql`
    select coalesce(m.status, r.status) as status, count(*)::int as n
    from campaign_recipients r left join messages m on m.id = r.message_id
    where r.campaign_id = ${id} group by 1`);
  const recipients: Record<string, number> = {};
  for (const r of res.rows as Array<{ status: string; n: number }>) recipients[r.status] = Number(r.n);
  return { ...row, recipients };
}

/** Customer ids the campaign goes to (see the module comment), at most MAX_CAMPAIGN_RECIPIENTS. */
async function resolveAudience(tx: Tx, c: CampaignRow): Promise<string[]> {
  const days = c.audience.lastActiveDays ?? null;
  // A Postgres array literal: drizzle would spread a JS array into a parameter list. Ids are UUIDs
  // (validated by the route schema).
  const ids = c.audience.customerIds?.length ? `{${c.audience.customerIds.join(',')}}` : null;
  const res = await tx.execute(sql`
    select cu.id from customers cu
    where exists (select 1 from conversations cv where cv.customer_id = cu.id and cv.channel_id = ${c.channelId})
      and (${ids}::uuid[] is null or cu.id = any(${ids}::uuid[]))
      and (${days}::int is null or exists (
        select 1 from messages m join conversations cv on cv.id = m.conversation_id
        where cv.customer_id = cu.id and m.channel_id = ${c.channelId} and m.direction = 'inbound'
          and m.created_at >= now() - make_interval(days => ${days}::int)))
    order by cu.id limit ${MAX_CAMPAIGN_RECIPIENTS}`);
  return (res.rows as Array<{ id: string }>).map((r) => r.id);
}

/**
 * Send a draft (see the module comment): everything in the caller's transaction.
 * @returns the message ids to enqueue, or undefined when the campaign is not in this tenant.
 * @throws CampaignError 409 when the campaign is not a draft (already sent, sending or canceled).
 */
export async function sendCampaignTx(tx: Tx, tenantId: string, id: string, actor: CampaignActor): Promise<{ campaign: CampaignRow; messageIds: string[] } | undefined> {
  const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for('update');
  if (!c) return undefined;
  if (c.status !== 'draft') throw new CampaignError('invalid_transition', `campaign is ${c.status}`);
  // Set-based, a handful of statements whatever the audience size: recipients (unique per
  // campaign + customer), the customers' open conversations on the channel (opened where
  // missing), one queued `system` message each, then the recipient → message links.
  const audience = await resolveAudience(tx, c);
  const ids = `{${audience.join(',')}}`;
  await tx.execute(sql`
    insert into campaign_recipients (campaign_id, tenant_id, customer_id)
    select ${c.id}, ${tenantId}, x from unnest(${ids}::uuid[]) as x
    on conflict do nothing`);
  await tx.execute(sql`
    insert into conversations (tenant_id, customer_id, channel_id)
    select ${tenantId}, r.customer_id, ${c.channelId} from campaign_recipients r
    where r.campaign_id = ${c.id} and r.message_id is null
    on conflict (tenant_id, customer_id, channel_id) where status = 'open' do nothing`);
  const inserted = await tx.execute(sql`
    insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, owner_version)
    select cv.tenant_id, cv.id, cv.channel_id, 'outbound', 'system', ${c.text}, 'queued', cv.owner_version
    from campaign_recipients r
    join conversations cv on cv.customer_id = r.customer_id and cv.channel_id = ${c.channelId} and cv.status = 'open'
    where r.campaign_id = ${c.id} and r.message_id is null
    returning id, conversation_id`);
  const sent = inserted.rows as Array<{ id: string; conversation_id: string }>;
  await tx.execute(sql`
    update campaign_recipients r set message_id = m.id
    from messages m join conversations cv on cv.id = m.conversation_id
    where r.campaign_id = ${c.id} and r.message_id is null and cv.customer_id = r.customer_id
      and m.id = any(${`{${sent.map((m) => m.id).join(',')}}`}::uuid[])`);
  await tx.execute(sql`
    update conversations set last_message_at = now()
    where id = any(${`{${sent.map((m) => m.conversation_id).join(',')}}`}::uuid[])`);
  const messageIds = sent.map((m) => m.id);
  const [campaign] = await tx
    .update(campaigns)
    .set({ status: 'sending', sentAt: sql`now()`, recipientCount: messageIds.length })
    .where(eq(campaigns.id, c.id))
    .returning();
  await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, action: 'campaign.send', target: c.id, ip: actor.ip, data: { recipients: messageIds.length } });
  return { campaign: campaign!, messageIds };
}

/** After commit: enqueue `outbound` per message (jobId = message id), then mark the campaign sent. */
export async function enqueueCampaign(deps: { db: Database; queue: JobQueue }, tenantId: string, campaignId: string, messageIds: string[]): Promise<CampaignRow> {
  try {
    for (const messageId of messageIds) await deps.queue.enqueue('outbound', { tenantId, messageId }, { jobId: messageId });
  } catch {
    // The messages are committed as `queued`: the recovery sweep delivers whatever did not get
    // enqueued, so the campaign is still marked sent rather than left in `sending` forever.
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ status: 'sent' })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, 'sending')))
      .returning();
    return row ?? (await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]!;
  });
}

/**
 * Cancel a draft. @returns undefined when not in this tenant.
 * @throws CampaignError 409 when it is not a draft.
 */
export async function cancelCampaign(tx: Tx, tenantId: string, id: string, actor: CampaignActor): Promise<CampaignRow | undefined> {
  const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for('update');
  if (!c) return undefined;
  if (c.status !== 'draft') throw new CampaignError('invalid_transition', `campaign is ${c.status}`);
  const [row] = await tx.update(campaigns).set({ status: 'canceled', canceledAt: sql`now()` }).where(eq(campaigns.id, id)).returning();
  await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, action: 'campaign.cancel', target: id, ip: actor.ip });
  return row;
}
