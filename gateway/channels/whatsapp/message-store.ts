/**
 * Storage beside the messages table: inbound media bytes (whatsapp_media, encrypted with
 * SecretBox 'whatsapp-media') and the content of what we sent (whatsapp_sent), which backs
 * Baileys' `getMessage` so retry receipts can be answered after a restart.
 */
import { and, eq, sql } from 'drizzle-orm';
import { proto } from '@whiskeysockets/baileys';
import type { SecretBox } from '../../../core/crypto.ts';
import type { Database } from '../../../core/db/client.ts';
import { whatsappMedia, whatsappSent } from '../../../core/db/schema/index.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';

/**
 * Store one inbound media item (idempotent per WhatsApp message id).
 * @param bytes undefined when the download failed (metadata is kept, data_enc NULL).
 * @returns the media row id.
 */
export async function storeMedia(
  db: Database,
  box: SecretBox,
  ref: ChannelRef,
  item: { waMessageId: string; kind: string; mimetype?: string; bytes?: Buffer },
): Promise<string> {
  return inChannelScope(db, ref, async (tx) => {
    const [row] = await tx
      .insert(whatsappMedia)
      .values({
        channelId: ref.channelId,
        tenantId: ref.tenantId,
        waMessageId: item.waMessageId,
        kind: item.kind,
        mimetype: item.mimetype ?? null,
        sizeBytes: item.bytes?.length ?? 0,
        dataEnc: item.bytes ? box.encrypt(item.bytes) : null,
      })
      .onConflictDoUpdate({ target: [whatsappMedia.channelId, whatsappMedia.waMessageId], set: { kind: sql`excluded.kind` } })
      .returning({ id: whatsappMedia.id });
    return row!.id;
  });
}

/** Decrypted bytes of a stored media item, undefined when missing or not downloaded. */
export async function readMedia(db: Database, box: SecretBox, ref: ChannelRef, mediaId: string): Promise<Buffer | undefined> {
  const [row] = await inChannelScope(db, ref, (tx) =>
    tx.select({ dataEnc: whatsappMedia.dataEnc }).from(whatsappMedia).where(eq(whatsappMedia.id, mediaId)),
  );
  return row?.dataEnc ? box.decryptBuffer(row.dataEnc) : undefined;
}

/** Remember what was sent under a WhatsApp message id. @param content proto.Message JSON. */
export async function recordSent(
  db: Database,
  ref: ChannelRef,
  waMessageId: string,
  remoteJid: string,
  content: Record<string, unknown>,
): Promise<void> {
  await inChannelScope(db, ref, (tx) =>
    tx
      .insert(whatsappSent)
      .values({ channelId: ref.channelId, tenantId: ref.tenantId, waMessageId, remoteJid, content })
      .onConflictDoNothing(),
  );
}

/** Baileys `getMessage`: the proto.Message we sent under this key id, if stored. */
export async function loadSent(db: Database, ref: ChannelRef, waMessageId: string): Promise<proto.IMessage | undefined> {
  const [row] = await inChannelScope(db, ref, (tx) =>
    tx
      .select({ content: whatsappSent.content })
      .from(whatsappSent)
      .where(and(eq(whatsappSent.channelId, ref.channelId), eq(whatsappSent.waMessageId, waMessageId))),
  );
  return row ? proto.Message.fromObject(row.content) : undefined;
}
