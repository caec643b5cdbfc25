/**
 * Messages written by people (staff replies from the inbox) or by the platform itself (the
 * acknowledgement sent when a conversation is escalated, core/services/conversations/escalation.ts). Both are stored as outbound messages
 * (`sender` 'staff' / 'system', status `queued`) and enqueued on `outbound` with jobId = message
 * id, so they leave through the customer's own channel (SMS, WhatsApp, web chat) exactly like AI
 * replies; the send-time ownership check applies to AI replies only.
 *
 * A staff reply to a conversation that is not human-owned takes it over first (same
 * transaction, audited as `conversation.takeover` with `implicit: true`): a person who starts
 * typing to a customer must never race the bot.
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import type { EventBus } from '../../events.ts';
import type { JobQueue } from '../../queue.ts';
import { applyOwnershipTx, lockConversation, OwnershipError, publishOwnership, scheduleAutoHandback, type Actor, type OwnershipState } from './ownership.ts';

export interface StaffMessageDeps {
  db: Database;
  queue: JobQueue;
  bus: EventBus;
}

export const MAX_STAFF_MESSAGE_CHARS = 2000;

/**
 * Insert a queued outbound message (sender 'staff' or 'system') on the conversation's channel
 * inside the caller's transaction; the caller enqueues `outbound` after commit.
 * @param inReplyTo the inbound it answers, if any (answerInbound re-enqueues it on a retry).
 * @returns the message id.
 */
export async function insertOutbound(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  sender: 'staff' | 'system',
  text: string,
  ownerVersion: number,
  inReplyTo: string | null = null,
): Promise<string> {
  const res = await tx.execute(sql`
    insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, owner_version, in_reply_to)
    select tenant_id, id, channel_id, 'outbound', ${sender}, ${text}, 'queued', ${ownerVersion}, ${inReplyTo}::uuid
    from conversations where id = ${conversationId}
    returning id`);
  await tx.execute(sql`update conversations set last_message_at = now() where id = ${conversationId}`);
  return (res.rows[0] as { id: string }).id;
}

/** Record that `userId` has read the conversation up to now (unread counts in the inbox). */
export async function markReadTx(tx: Tx, tenantId: string, conversationId: string, userId: string): Promise<void> {
  await tx.execute(sql`
    insert into conversation_reads (tenant_id, conversation_id, user_id) values (${tenantId}, ${conversationId}, ${userId})
    on conflict (conversation_id, user_id) do update set last_read_at = now()`);
}

/**
 * Send a staff reply (text trimmed, 1–2000 characters).
 * @returns the new message id and the ownership state after the call.
 * @throws OwnershipError 400 (empty/too long text), 404 (unknown conversation).
 */
export async function sendStaffMessage(
  deps: StaffMessageDeps,
  tenantId: string,
  conversationId: string,
  actor: Actor & { userId: string },
  rawText: string,
): Promise<{ messageId: string; ownership: OwnershipState }> {
  const text = rawText.trim();
  if (!text || text.length > MAX_STAFF_MESSAGE_CHARS)
    throw new OwnershipError('invalid_message', `a reply must have 1-${MAX_STAFF_MESSAGE_CHARS} characters`);
  const { messageId, ownership } = await deps.db.withTenant(tenantId, async (tx) => {
    const row = await lockConversation(tx, conversationId);
    const ownership =
      row.owner === 'human'
        ? { conversationId, owner: row.owner, assignedUserId: row.assigned_user_id, ownerVersion: row.owner_version, needsHuman: false, reason: null, changed: false }
        : await applyOwnershipTx(
            tx,
            tenantId,
            row,
            { owner: 'human', assignedUserId: actor.userId, needsHuman: false, reason: null },
            { action: 'conversation.takeover', actor, data: { implicit: true } },
          );
    const messageId = await insertOutbound(tx, tenantId, conversationId, 'staff', text, ownership.ownerVersion);
    await markReadTx(tx, tenantId, conversationId, actor.userId);
    return { messageId, ownership };
  });
  await publishOwnership(deps.bus, tenantId, ownership);
  await deps.queue.enqueue('outbound', { tenantId, messageId }, { jobId: messageId });
  await deps.bus.publish(`tenant:${tenantId}`, { type: 'message', conversationId, messageId, sender: 'staff' });
  await scheduleAutoHandback(deps, tenantId, ownership);
  return { messageId, ownership };
}
