/**
 * The staff inbox's reads: the conversation list with filters and unread counts, one
 * conversation with its thread, channel, customer profile, leads and bookings, the team (for
 * assignment) and read markers. Everything runs in one tenant transaction (RLS applies).
 *
 * Filters: `needs_human` (flagged or unassigned), `mine` (human-owned by the caller), `ai`
 * (AI-owned), `all`. Unread = customer messages since the caller's last read of that
 * conversation (`conversations.inbound_count − conversation_reads.read_inbound_count`, both
 * kept by triggers in the writing transaction); callers without a tenant-user id (platform
 * view-as) see everything as unread and cannot mark read.
 */
import type { EscalationReason } from './escalation-reasons.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { isUuid } from '../../db/client.ts';
import { OwnershipError } from './ownership.ts';
import { markReadTx } from './staff-messages.ts';

export const INBOX_FILTERS = ['needs_human', 'mine', 'ai', 'all'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

const NIL = '00000000-0000-0000-0000-000000000000';

function filterSql(filter: InboxFilter, userId: string): SQL {
  switch (filter) {
    case 'needs_human':
      return sql`(c.needs_human or c.owner = 'unassigned')`;
    case 'mine':
      return sql`(c.owner = 'human' and c.assigned_user_id = ${userId})`;
    case 'ai':
      return sql`c.owner = 'ai'`;
    default:
      return sql`true`;
  }
}

export interface InboxItem {
  id: string;
  owner: 'ai' | 'human' | 'unassigned';
  assignedUserId: string | null;
  assignedName: string | null;
  ownerVersion: number;
  needsHuman: boolean;
  needsHumanReason: string | null;
  /** Code of the latest escalation (escalation-reasons.ts), null when never escalated. */
  escalationReason: EscalationReason | null;
  lastMessageAt: string;
  customer: { id: string; name: string | null; handle: string };
  channel: { type: string };
  lastMessage: { text: string; sender: string } | null;
  unread: number;
}

/**
 * Open conversations, most recent first (at most `limit`, ≤ 200), plus counts per filter.
 * @param userId the caller's tenant_users id, or undefined (view-as).
 */
export async function listInbox(
  db: Database,
  tenantId: string,
  userId: string | undefined,
  filter: InboxFilter = 'all',
  limit = 100,
): Promise<{ conversations: InboxItem[]; counts: Record<InboxFilter, number> & { unread: number } }> {
  const uid = userId && isUuid(userId) ? userId : NIL;
  return db.withTenant(tenantId, async (tx) => {
    // Served by indexes: the page from conversations_open_recent_idx (tenant_id stated so the
    // index gives the order; RLS still applies), unread and last message from the summary
    // columns the message triggers keep (migrations/0015_throughput.sql), no scan of messages.
    const list = await tx.execute(sql`
      with page as (
        select * from conversations c where c.tenant_id = ${tenantId} and c.status = 'open' and ${filterSql(filter, uid)}
        order by c.last_message_at desc limit ${Math.min(Math.max(limit, 1), 200)})
      select c.id, c.owner, c.assigned_user_id, c.owner_version, c.needs_human, c.needs_human_reason, c.escalation_reason, c.last_message_at,
        u.id as customer_id, u.name as customer_name, u.handle, ch.type as channel_type,
        coalesce(tu.name, tu.email) as assigned_name, c.last_message_text as last_text, c.last_message_sender as last_sender,
        greatest(c.inbound_count - coalesce(r.read_inbound_count, 0), 0) as unread
      from page c
      join customers u on u.id = c.customer_id
      join channels ch on ch.id = c.channel_id
      left join tenant_users tu on tu.id = c.assigned_user_id
      left join conversation_reads r on r.conversation_id = c.id and r.user_id = ${uid}
      order by c.last_message_at desc`);
    const counts = (
      await tx.execute(sql`
        select count(*) filter (where c.needs_human or c.owner = 'unassigned')::int as needs_human,
               count(*) filter (where c.owner = 'human' and c.assigned_user_id = ${uid})::int as mine,
               count(*) filter (where c.owner = 'ai')::int as ai,
               count(*)::int as all,
               (coalesce(sum(c.inbound_count), 0) - coalesce((select sum(least(r.read_inbound_count, oc.inbound_count)) from conversation_reads r
                  join conversations oc on oc.id = r.conversation_id and oc.status = 'open' where r.user_id = ${uid}), 0))::int as unread
        from conversations c
        where c.tenant_id = ${tenantId} and c.status = 'open'`)
    ).rows[0] as Record<InboxFilter, number> & { unread: number };
    const conversations = (list.rows as Array<Record<string, any>>).map((r) => ({
      id: r.id,
      owner: r.owner,
      assignedUserId: r.assigned_user_id,
      assignedName: r.assigned_name,
      ownerVersion: r.owner_version,
      needsHuman: r.needs_human,
      needsHumanReason: r.needs_human_reason,
      escalationReason: (r.escalation_reason ?? null) as EscalationReason | null,
      lastMessageAt: new Date(r.last_message_at).toISOString(),
      customer: { id: r.customer_id, name: r.customer_name, handle: r.handle },
      channel: { type: r.channel_type },
      lastMessage: r.last_text === null || r.last_text === undefined ? null : { text: r.last_text, sender: r.last_sender },
      unread: r.unread,
    }));
    return { conversations, counts };
  });
}

/** A message of the conversation view (SQL row, snake_case). */
export interface InboxMessageRow {
  id: string;
  direction: string;
  sender: string;
  text: string;
  status: string;
  error: string | null;
  created_at: Date;
}

/**
 * One conversation for the conversation view: the conversation row, customer profile, channel,
 * the last 200 messages (oldest first; canceled AI replies included, marked), and the customer's
 * leads and bookings (when those tables exist).
 * @throws OwnershipError 404 when the conversation is not in this tenant.
 */
export async function getInboxConversation(db: Database, tenantId: string, conversationId: string) {
  if (!isUuid(conversationId)) throw new OwnershipError('not_found', 'conversation not found');
  return db.withTenant(tenantId, async (tx) => {
    const conv = (
      await tx.execute(sql`
        select c.id, c.owner, c.assigned_user_id, coalesce(tu.name, tu.email) as assigned_name, c.owner_version, c.needs_human,
          c.needs_human_reason, c.escalation_reason, c.owner_changed_at, c.last_message_at, c.created_at,
          u.id as customer_id, u.name as customer_name, u.handle, u.phone, u.language_preference, u.profile, u.created_at as customer_since,
          ch.type as channel_type, ch.provider as channel_provider, ch.address as channel_address
        from conversations c join customers u on u.id = c.customer_id join channels ch on ch.id = c.channel_id
        left join tenant_users tu on tu.id = c.assigned_user_id
        where c.id = ${conversationId}`)
    ).rows[0] as Record<string, any> | undefined;
    if (!conv) throw new OwnershipError('not_found', 'conversation not found');
    const msgs = await tx.execute(sql`
      select id, direction, sender, text, status, error, created_at from messages
      where conversation_id = ${conversationId} order by created_at desc, id desc limit 200`);
    const has = (await tx.execute(sql`select to_regclass('public.leads') is not null as leads, to_regclass('public.bookings') is not null as bookings`))
      .rows[0] as { leads: boolean; bookings: boolean };
    const leads = has.leads
      ? (await tx.execute(sql`select id, stage, score, value_cents, interest, notes, created_at from leads
           where customer_id = ${conv.customer_id} order by created_at desc limit 20`)).rows
      : [];
    const bookings = has.bookings
      ? (await tx.execute(sql`select b.id, b.status, lower(b.during) as starts_at, upper(b.during) as ends_at, b.party_size, b.notes, r.name as resource
           from bookings b left join resources r on r.id = b.resource_id
           where b.customer_id = ${conv.customer_id} order by lower(b.during) desc limit 20`)).rows
      : [];
    return {
      conversation: {
        id: conv.id,
        owner: conv.owner,
        assignedUserId: conv.assigned_user_id,
        assignedName: conv.assigned_name,
        ownerVersion: conv.owner_version,
        needsHuman: conv.needs_human,
        needsHumanReason: conv.needs_human_reason,
        escalationReason: (conv.escalation_reason ?? null) as EscalationReason | null,
        ownerChangedAt: conv.owner_changed_at,
        lastMessageAt: conv.last_message_at,
      },
      customer: {
        id: conv.customer_id,
        name: conv.customer_name,
        handle: conv.handle,
        phone: conv.phone,
        language: conv.language_preference,
        profile: conv.profile,
        since: conv.customer_since,
      },
      channel: { type: conv.channel_type, provider: conv.channel_provider, address: conv.channel_address },
      messages: (msgs.rows as InboxMessageRow[]).reverse(),
      leads,
      bookings,
    };
  });
}

/** Staff who can own conversations (owner, admin, staff), for the assign menu. */
export async function listTeam(db: Database, tenantId: string) {
  return db.withTenant(tenantId, async (tx) =>
    (await tx.execute(sql`select id, coalesce(name, email) as name, email, role from tenant_users where role <> 'viewer' and status = 'active' order by name, email`)).rows,
  );
}

/** Mark the conversation read by this tenant user. @throws OwnershipError 404. */
export async function markRead(db: Database, tenantId: string, conversationId: string, userId: string): Promise<void> {
  if (!isUuid(conversationId)) throw new OwnershipError('not_found', 'conversation not found');
  await db.withTenant(tenantId, async (tx) => {
    const found = (await tx.execute(sql`select 1 from conversations where id = ${conversationId}`)).rows.length;
    if (!found) throw new OwnershipError('not_found', 'conversation not found');
    await markReadTx(tx, tenantId, conversationId, userId);
  });
}
