/**
 * Messages on the platform's own number (channel with tenant_id NULL): the sales assistant's
 * conversation log. Inbound rows are idempotent per channel + provider message id, like tenant
 * messages; each inbound gets at most one reply row (`in_reply_to`, unique since migration 0008).
 * A reply row is `received` until the `outbound` job claims it (→ `processed`: handed to the
 * sender; the table's CHECK has no `sending`), then `sent` or `failed`; a retryable send failure
 * puts it back to `received`.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { channels, platformMessages } from '../../db/schema/index.ts';
import type { ChannelRow } from '../tenancy/channels.ts';
import { findRepByPhone } from './sales-team.ts';

export type PlatformMessageRow = typeof platformMessages.$inferSelect;

/** @returns the inbound row's id and whether this call stored it (false = a redelivery). */
export async function storePlatformInbound(
  db: Database,
  input: { channelId: string; phone: string; externalId: string; text: string },
): Promise<{ id: string; created: boolean }> {
  return db.withPlatform(async (tx) => {
    const rep = await findRepByPhone(tx, input.phone);
    const [row] = await tx
      .insert(platformMessages)
      .values({ channelId: input.channelId, phone: input.phone, repId: rep?.id ?? null, direction: 'inbound', externalId: input.externalId, text: input.text })
      .onConflictDoNothing({ target: [platformMessages.channelId, platformMessages.externalId] })
      .returning({ id: platformMessages.id });
    if (row) return { id: row.id, created: true };
    const [old] = await tx
      .select({ id: platformMessages.id })
      .from(platformMessages)
      .where(and(eq(platformMessages.channelId, input.channelId), eq(platformMessages.externalId, input.externalId)));
    return { id: old!.id, created: false };
  });
}

/** An inbound platform message with its channel and existing reply, or undefined. */
export async function loadPlatformTurn(
  db: Database,
  id: string,
): Promise<{ message: PlatformMessageRow; channel: ChannelRow; reply?: PlatformMessageRow } | undefined> {
  return db.withPlatform(async (tx) => {
    const [message] = await tx.select().from(platformMessages).where(eq(platformMessages.id, id));
    if (!message) return undefined;
    const [channel] = await tx.select().from(channels).where(eq(channels.id, message.channelId));
    const [reply] = await tx.select().from(platformMessages).where(eq(platformMessages.inReplyTo, id));
    return { message, channel: channel!, reply };
  });
}

/**
 * Within a platform transaction: lock inbound `inboundId` (`FOR UPDATE`, so concurrent answers of
 * the same message run one after the other) and return its reply, if one is stored already.
 */
export async function lockPlatformTurn(tx: Tx, inboundId: string): Promise<PlatformMessageRow | undefined> {
  await tx.select({ id: platformMessages.id }).from(platformMessages).where(eq(platformMessages.id, inboundId)).for('update');
  const [reply] = await tx.select().from(platformMessages).where(eq(platformMessages.inReplyTo, inboundId));
  return reply;
}

/**
 * Within a platform transaction: store the reply to `inbound` (status `received`, i.e. not sent
 * yet) and mark the inbound `processed`. At most one reply per inbound (unique in_reply_to,
 * migration 0008): a second insert fails the transaction.
 */
export async function insertPlatformReply(tx: Tx, inbound: PlatformMessageRow, text: string): Promise<PlatformMessageRow> {
  const [row] = await tx
    .insert(platformMessages)
    .values({ channelId: inbound.channelId, phone: inbound.phone, repId: inbound.repId, direction: 'outbound', text, inReplyTo: inbound.id, status: 'received' })
    .returning();
  await markInboundProcessed(tx, inbound.id);
  return row!;
}

/** Within a platform transaction: mark an inbound answered (with or without a reply row). */
export async function markInboundProcessed(tx: Tx, inboundId: string): Promise<void> {
  await tx.update(platformMessages).set({ status: 'processed' }).where(eq(platformMessages.id, inboundId));
}

/** Refusals to one unknown number: at most one per this window (ms). */
export const REFUSAL_WINDOW_MS = 24 * 3_600_000;

/**
 * Within a platform transaction: may `phone` (not a rep) get a refusal now? False when a reply
 * to a non-rep was stored for that number in the last REFUSAL_WINDOW_MS (database clock). Takes a
 * transaction-scoped advisory lock per number, so concurrent inbounds from one number refuse once.
 */
export async function mayRefuse(tx: Tx, phone: string): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sales-refusal:${phone}`}))`);
  const [recent] = await tx
    .select({ id: platformMessages.id })
    .from(platformMessages)
    .where(
      and(
        eq(platformMessages.phone, phone),
        eq(platformMessages.direction, 'outbound'),
        isNull(platformMessages.repId),
        gt(platformMessages.createdAt, sql`now() - make_interval(secs => ${REFUSAL_WINDOW_MS / 1000})`),
      ),
    )
    .limit(1);
  return !recent;
}

/**
 * Claim reply `id` for sending (the platform twin of claimOutbound): only a `received` outbound
 * row moves to `processed`, so concurrent or repeated `outbound` jobs send it at most once.
 * @returns the row and its channel, or undefined when missing or already claimed/sent/failed.
 */
export async function claimPlatformOutbound(db: Database, id: string): Promise<{ message: PlatformMessageRow; channel: ChannelRow } | undefined> {
  return db.withPlatform(async (tx) => {
    const [message] = await tx
      .update(platformMessages)
      .set({ status: 'processed' })
      .where(and(eq(platformMessages.id, id), eq(platformMessages.direction, 'outbound'), eq(platformMessages.status, 'received')))
      .returning();
    if (!message) return undefined;
    const [channel] = await tx.select().from(channels).where(eq(channels.id, message.channelId));
    return channel ? { message, channel } : undefined;
  });
}

/** Record a send outcome on a platform message; `received` puts a claimed reply back for a retry. */
export async function markPlatformMessage(db: Database, id: string, status: 'sent' | 'failed' | 'received', externalId?: string): Promise<void> {
  await db.withPlatform((tx) =>
    tx.update(platformMessages).set({ status, ...(externalId ? { externalId } : {}) }).where(eq(platformMessages.id, id)),
  );
}
