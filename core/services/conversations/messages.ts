/**
 * Message lifecycle after ingest: loading a turn's context, storing an AI or staff reply,
 * claiming an outbound message for sending and recording its fate.
 *
 * Outbound status: queued → sending → sent | failed (or canceled when the conversation's owner
 * changed after an AI reply was written: the send-time check compares owner_version).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { channels, conversations, customers, messages, tenants } from '../../db/schema/index.ts';
import type { ChannelRow } from '../tenancy/channels.ts';
import type { TenantRow } from '../tenancy/tenants.ts';
import { messagesTotal } from '../../metrics.ts';
import { escalateTx, lockConversation, type OwnershipState } from './ownership.ts';

export type MessageRow = typeof messages.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;

export interface TurnContext {
  message: MessageRow;
  conversation: ConversationRow;
  customer: CustomerRow;
  tenant: TenantRow;
  channel: ChannelRow;
  /** Last `historyLimit` messages of the conversation, oldest first (includes `message`). */
  history: MessageRow[];
}

/** Everything an agent turn needs, read in one tenant transaction; undefined if the message is gone. */
export async function loadTurnContext(tx: Tx, messageId: string, historyLimit = 20): Promise<TurnContext | undefined> {
  const [row] = await tx
    .select({ message: messages, conversation: conversations, customer: customers, tenant: tenants, channel: channels })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .innerJoin(tenants, eq(tenants.id, messages.tenantId))
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(eq(messages.id, messageId));
  if (!row) return undefined;
  const recent = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, row.conversation.id), sql`${messages.status} <> 'canceled'`))
    .orderBy(desc(messages.createdAt))
    .limit(historyLimit);
  return { ...row, history: recent.reverse() };
}

/**
 * Flag a conversation for staff (escalation) inside the caller's transaction, through the
 * ownership service (row lock, AI-owned → `unassigned`, owner_version, `conversation.escalate`
 * audit entry). @returns the state to publish after commit with publishOwnership.
 */
export async function flagForHuman(tx: Tx, tenantId: string, conversationId: string, reason: string): Promise<OwnershipState> {
  return escalateTx(tx, tenantId, await lockConversation(tx, conversationId), reason);
}

/** Mark an inbound message answered without an AI reply (human-owned, suspended tenant…). */
export async function markProcessed(db: Database, tenantId: string, messageId: string): Promise<void> {
  await db.withTenant(tenantId, (tx) =>
    tx.update(messages).set({ status: 'processed' }).where(and(eq(messages.id, messageId), eq(messages.status, 'received'))),
  );
}

export interface AiReply {
  text: string;
  provider: string;
  model: string;
  /** Written under this conversation owner_version; the send is canceled if it changed. */
  ownerVersion: number;
  /** Escalate the conversation to staff with this reason (offline fallback, handoff tool…). */
  flagReason?: string;
  /** Channel parts, sent in order as separate provider messages (multi-part SMS); null = `text`. */
  parts?: string[] | null;
}

/**
 * Store the AI reply to an inbound message and mark the inbound `processed`, atomically; with
 * `flagReason`, the escalation (flagForHuman) commits in the same transaction and `ownership`
 * is returned for the caller to publish after commit.
 * Idempotent: if the inbound was already answered, returns the existing queued reply id (or
 * undefined) and stores nothing.
 */
export async function storeAiReply(
  db: Database,
  tenantId: string,
  inboundId: string,
  reply: AiReply,
): Promise<{ replyId?: string; created: boolean; ownership?: OwnershipState }> {
  return db.withTenant(tenantId, async (tx) => {
    const locked = await tx.execute(sql`select status, conversation_id, channel_id from messages where id = ${inboundId} for update`);
    const inbound = locked.rows[0] as { status: string; conversation_id: string; channel_id: string } | undefined;
    if (!inbound) return { created: false };
    if (inbound.status !== 'received') return { replyId: await queuedReplyTx(tx, inboundId), created: false };
    await tx.update(messages).set({ status: 'processed' }).where(eq(messages.id, inboundId));
    // Ownership changed while the agent was thinking (a takeover committed mid-turn): the reply
    // is kept for the record as `canceled` and never queued, whatever kind it is (an escalating
    // reply included) — staff answer from now on.
    const conv = await tx.execute(sql`select owner_version from conversations where id = ${inbound.conversation_id} for update`);
    const stale = (conv.rows[0] as { owner_version: number } | undefined)?.owner_version !== reply.ownerVersion;
    const [row] = await tx
      .insert(messages)
      .values({
        tenantId,
        conversationId: inbound.conversation_id,
        channelId: inbound.channel_id,
        direction: 'outbound',
        // A reply written together with an escalation hands the conversation to staff; it must
        // still reach the customer, so it is not subject to the AI-ownership send check.
        sender: reply.flagReason ? 'system' : 'ai',
        inReplyTo: inboundId,
        text: reply.text,
        parts: reply.parts ?? null,
        status: stale ? 'canceled' : 'queued',
        error: stale ? 'conversation owner changed while the reply was generated' : null,
        provider: reply.provider,
        model: reply.model,
        ownerVersion: reply.ownerVersion,
      })
      .returning({ id: messages.id });
    if (stale) return { created: false };
    await tx.update(conversations).set({ lastMessageAt: sql`now()` }).where(eq(conversations.id, inbound.conversation_id));
    const ownership = reply.flagReason ? await flagForHuman(tx, tenantId, inbound.conversation_id, reply.flagReason) : undefined;
    return { replyId: row!.id, created: true, ownership };
  });
}

async function queuedReplyTx(tx: Tx, inboundId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.inReplyTo, inboundId), eq(messages.status, 'queued')));
  return row?.id;
}

/** The still-queued reply to an inbound message, if any (re-enqueue after a crash). */
export async function findQueuedReply(db: Database, tenantId: string, inboundId: string): Promise<string | undefined> {
  return db.withTenant(tenantId, (tx) => queuedReplyTx(tx, inboundId));
}

export interface OutboundClaim {
  message: MessageRow;
  channel: ChannelRow;
  customer: CustomerRow;
}

/**
 * Claim an outbound message for sending (`queued` → `sending`), or explain why not:
 * `done` (not `queued`: sent, failed, canceled or being sent), `canceled` (an AI reply whose conversation owner
 * changed since it was written — checked under the row lock, so a committed takeover always wins).
 */
export async function claimOutbound(
  db: Database,
  tenantId: string,
  messageId: string,
): Promise<{ claim?: OutboundClaim; skipped?: 'missing' | 'done' | 'canceled' }> {
  return db.withTenant(tenantId, async (tx) => {
    await tx.execute(sql`select 1 from messages where id = ${messageId} for update`);
    const [row] = await tx
      .select({ message: messages, channel: channels, customer: customers, conversation: conversations })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .innerJoin(channels, eq(channels.id, messages.channelId))
      .where(eq(messages.id, messageId));
    if (!row) return { skipped: 'missing' as const };
    // Only `queued` is claimable: `sending` means another attempt is (or was, before a crash)
    // talking to the provider, and sending again could deliver twice (recovery settles it).
    if (row.message.direction !== 'outbound' || row.message.status !== 'queued') return { skipped: 'done' as const };
    if (
      row.message.sender === 'ai' &&
      (row.conversation.owner !== 'ai' || row.conversation.ownerVersion !== row.message.ownerVersion)
    ) {
      await tx.update(messages).set({ status: 'canceled', error: 'conversation owner changed' }).where(eq(messages.id, messageId));
      return { skipped: 'canceled' as const };
    }
    await tx.update(messages).set({ status: 'sending' }).where(eq(messages.id, messageId));
    return { claim: { message: row.message, channel: row.channel, customer: row.customer } };
  });
}

/** Record the outcome of a send attempt. `queued` puts it back for a retry. */
export async function recordSend(
  db: Database,
  tenantId: string,
  messageId: string,
  outcome: { status: 'sent' | 'failed' | 'queued'; externalId?: string; error?: string; channelType?: string },
): Promise<void> {
  await db.withTenant(tenantId, (tx) =>
    tx
      .update(messages)
      .set({
        status: outcome.status,
        externalId: outcome.externalId ?? sql`${messages.externalId}`,
        error: outcome.error ?? null,
        sentAt: outcome.status === 'sent' ? sql`now()` : null,
      })
      .where(eq(messages.id, messageId)),
  );
  if (outcome.status === 'sent') messagesTotal.inc({ channel: outcome.channelType ?? 'unknown', direction: 'outbound' });
}

/** A multi-part message: the provider accepted its first `n` parts (a retry resumes after them). */
export async function recordPartsSent(db: Database, tenantId: string, messageId: string, n: number): Promise<void> {
  await db.withTenant(tenantId, (tx) => tx.update(messages).set({ partsSent: n }).where(eq(messages.id, messageId)));
}

/** A conversation's messages, oldest first (tenant API, web-chat history). */
export async function listMessages(tx: Tx, conversationId: string, limit = 200): Promise<MessageRow[]> {
  return tx
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt))
    .limit(limit);
}
