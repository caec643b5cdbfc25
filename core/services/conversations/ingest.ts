/**
 * The one ingest path every channel adapter calls (SMS webhooks, WhatsApp, web chat):
 * upsert the customer, find or open the conversation, store the message idempotently
 * (unique per channel + provider message id), then enqueue `inbound` with jobId = message id.
 * Nothing else happens here: the agent runs in the worker.
 *
 * Redelivery of the same provider message stores nothing new; it re-enqueues only while the
 * first copy is still unanswered (status `received`), and the queue's jobId dedupe makes that a
 * no-op when the first job is still known — so no inbound message is lost and no reply doubles.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { conversations, customers, messages, type ChannelType } from '../../db/schema/index.ts';
import type { JobQueue } from '../../queue.ts';
import { messagesTotal } from '../../metrics.ts';

/** Canonical inbound message, produced by a channel adapter from the provider's payload. */
export interface InboundMessage {
  tenantId: string;
  channelId: string;
  channel: ChannelType;
  /** Customer handle: E.164 phone for SMS/WhatsApp, `web:<visitorId>` for web chat. */
  from: string;
  /** Provider message id (Twilio MessageSid, Africa's Talking id, WhatsApp key id, web client id). */
  externalId: string;
  text: string;
  media?: Record<string, unknown>;
  receivedAt: Date;
  /** Display name when the provider gives one (WhatsApp pushName). */
  fromName?: string;
  /** A live connection is open (web chat): the reply is real-time traffic. */
  realtime?: boolean;
}

export interface IngestResult {
  messageId: string;
  conversationId: string;
  customerId: string;
  duplicate: boolean;
}

/** Upsert the customer by handle; returns its id. */
export async function upsertCustomer(tx: Tx, tenantId: string, handle: string, name?: string): Promise<string> {
  const phone = handle.startsWith('+') ? handle : null;
  const [row] = await tx
    .insert(customers)
    .values({ tenantId, handle, phone, name: name ?? null })
    .onConflictDoUpdate({
      target: [customers.tenantId, customers.handle],
      set: { lastSeenAt: sql`now()`, name: sql`coalesce(${customers.name}, excluded.name)` },
    })
    .returning({ id: customers.id });
  return row!.id;
}

/** The customer's open conversation on this channel, opened if none (race-safe). */
export async function openConversation(tx: Tx, tenantId: string, customerId: string, channelId: string): Promise<string> {
  const find = () =>
    tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.customerId, customerId),
          eq(conversations.channelId, channelId),
          eq(conversations.status, 'open'),
        ),
      )
      .limit(1);
  const [found] = await find();
  if (found) return found.id;
  await tx.execute(sql`
    insert into conversations (tenant_id, customer_id, channel_id) values (${tenantId}, ${customerId}, ${channelId})
    on conflict (tenant_id, customer_id, channel_id) where status = 'open' do nothing`);
  const [row] = await find();
  return row!.id;
}

/**
 * Store and enqueue one inbound message.
 * @throws database errors (the message is then not stored and the provider should redeliver).
 */
export async function ingestInbound(
  deps: { db: Database; queue: JobQueue },
  msg: InboundMessage,
): Promise<IngestResult> {
  const result = await deps.db.withTenant(msg.tenantId, async (tx) => {
    const customerId = await upsertCustomer(tx, msg.tenantId, msg.from, msg.fromName);
    const conversationId = await openConversation(tx, msg.tenantId, customerId, msg.channelId);
    const [inserted] = await tx
      .insert(messages)
      .values({
        tenantId: msg.tenantId,
        conversationId,
        channelId: msg.channelId,
        direction: 'inbound',
        sender: 'customer',
        externalId: msg.externalId,
        text: msg.text,
        media: msg.media ?? null,
        status: 'received',
        // The provider's time, but never in the future (Africa's Talking dates carry no zone):
        // ordering, debounce and recovery rely on created_at.
        createdAt: sql`least(${msg.receivedAt.toISOString()}::timestamptz, now())`,
      })
      .onConflictDoNothing({ target: [messages.channelId, messages.externalId] })
      .returning({ id: messages.id });
    if (inserted) {
      await tx
        .update(conversations)
        .set({ lastMessageAt: sql`now()` })
        .where(eq(conversations.id, conversationId));
      return { messageId: inserted.id, conversationId, customerId, duplicate: false, pending: true };
    }
    const [existing] = await tx
      .select({ id: messages.id, status: messages.status, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channelId, msg.channelId), eq(messages.externalId, msg.externalId)));
    return {
      messageId: existing!.id,
      conversationId: existing!.conversationId,
      customerId,
      duplicate: true,
      pending: existing!.status === 'received',
    };
  });
  if (!result.duplicate) messagesTotal.inc({ channel: msg.channel, direction: 'inbound' });
  if (result.pending) {
    await deps.queue.enqueue(
      'inbound',
      { tenantId: msg.tenantId, messageId: result.messageId, realtime: msg.realtime || undefined },
      { jobId: result.messageId },
    );
  }
  const { pending: _p, ...out } = result;
  return out;
}
