/**
 * Messages on the platform's own number (channel with tenant_id NULL): the sales assistant's
 * conversation log. Inbound rows are idempotent per channel + provider message id, like tenant
 * messages; each inbound gets at most one reply row (`in_reply_to`).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { channels, platformMessages } from '../../db/schema/index.ts';
import type { ChannelRow } from '../channels.ts';
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

/** Store the reply to inbound `inboundId` (the inbound becomes `processed`). */
export async function storePlatformReply(db: Database, inbound: PlatformMessageRow, text: string): Promise<PlatformMessageRow> {
  return db.withPlatform(async (tx) => {
    const [row] = await tx
      .insert(platformMessages)
      .values({ channelId: inbound.channelId, phone: inbound.phone, repId: inbound.repId, direction: 'outbound', text, inReplyTo: inbound.id, status: 'received' })
      .returning();
    await tx.update(platformMessages).set({ status: 'processed' }).where(eq(platformMessages.id, inbound.id));
    return row!;
  });
}

export async function markPlatformMessage(db: Database, id: string, status: 'sent' | 'failed', externalId?: string): Promise<void> {
  await db.withPlatform((tx) =>
    tx.update(platformMessages).set({ status, ...(externalId ? { externalId } : {}) }).where(eq(platformMessages.id, id)),
  );
}
