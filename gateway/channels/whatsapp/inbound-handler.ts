/**
 * `messages.upsert` (both `notify` and `append`: messages that arrived while we were offline come
 * as `append`) → parse → LID pairs stored → customer handle resolved → media stored → core
 * ingestInbound (dedupe on the unique (channel_id, external_id), so a redelivery never makes a
 * second reply). The platform's own number goes to `onPlatformInbound` instead.
 * A message that still fails after a quick retry is parked (inbound-pending.ts) and ingested
 * again later: WhatsApp does not redeliver, so it must never be merely logged and dropped.
 */
import { and, eq } from 'drizzle-orm';
import type { BaileysEventMap, WAMessage } from '@whiskeysockets/baileys';
import type { SecretBox } from '../../../core/crypto.ts';
import type { Database } from '../../../core/db/client.ts';
import { messages } from '../../../core/db/schema/index.ts';
import type { Logger } from '../../../core/logger.ts';
import type { JobQueue } from '../../../core/queue.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import type { InboundPending } from './inbound-pending.ts';
import type { ChannelConnection } from './connection.ts';
import { parseInbound, type ParsedInbound } from './inbound-message.ts';
import { lidHandle, phoneForLid, rememberLid } from './lid-map.ts';
import { storeMedia } from './message-store.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';
import type { WhatsAppSocket } from './socket.ts';

/** A message to the platform's own WhatsApp number (sales reps' chat commands, issue 8). */
export interface PlatformInbound extends ParsedInbound {
  channelId: string;
  /** '+E164' when known, else 'lid:<digits>'. */
  from: string;
}

export interface InboundDeps {
  db: Database;
  queue: JobQueue;
  log: Logger;
  /** SecretBox(SECRET_KEY, 'whatsapp-media'). */
  mediaBox: SecretBox;
  /** Download a media message's bytes (default: Baileys downloadMediaMessage). */
  downloadMedia(msg: WAMessage, sock: WhatsAppSocket): Promise<Buffer>;
  onPlatformInbound(msg: PlatformInbound): Promise<void> | void;
  /** Channel settings.whatsapp.groups === true answers group messages. */
  allowGroups(channelId: string): boolean;
  /** Store + enqueue (core ingestInbound; tests inject a failing one). */
  ingest: typeof ingestInbound;
  /** Where messages whose ingest failed wait for a retry. */
  pending: InboundPending;
}

/** Store a pair and log when a LID-only and a phone customer both exist already. */
export async function learnPair(deps: Pick<InboundDeps, 'db' | 'log'>, ref: ChannelRef, lid: string, phone: string): Promise<void> {
  const outcome = await rememberLid(deps.db, ref, lid, phone);
  if (outcome === 'conflict') deps.log.warn({ channelId: ref.channelId, lid }, 'LID and phone customers both exist; not merged');
}

async function alreadyStored(db: Database, ref: ChannelRef, externalId: string): Promise<boolean> {
  if (!ref.tenantId) return false;
  const [row] = await inChannelScope(db, ref, (tx) =>
    tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.channelId, ref.channelId), eq(messages.externalId, externalId))),
  );
  return !!row;
}

async function withRetry<T>(fn: () => Promise<T>, attempts = 2): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
}

/** Parse, resolve and ingest one message (idempotent: safe to run again for the same message). */
export async function handleOne(deps: InboundDeps, conn: ChannelConnection, sock: WhatsAppSocket, raw: WAMessage): Promise<void> {
  const ref = conn.ref;
  const parsed = parseInbound(raw, { allowGroups: deps.allowGroups(ref.channelId) });
  if (!parsed.ok) return void deps.log.debug({ channelId: ref.channelId, id: raw.key?.id, reason: parsed.reason }, 'whatsapp message skipped');
  const m = parsed.msg;
  if (m.lid && m.phone) await learnPair(deps, ref, m.lid, m.phone);
  const from = m.phone ?? (m.lid ? ((await phoneForLid(deps.db, ref, m.lid)) ?? lidHandle(m.lid)) : undefined);
  if (!from) return void deps.log.warn({ channelId: ref.channelId, jid: m.senderJid }, 'whatsapp sender has no usable address');
  if (!ref.tenantId) return void (await deps.onPlatformInbound({ ...m, channelId: ref.channelId, from }));
  if (await alreadyStored(deps.db, ref, m.externalId)) {
    // Redelivery: ingest again (a no-op that re-enqueues only a still-unanswered message).
  } else if (m.media && m.media.kind !== 'sticker') {
    const bytes = await deps.downloadMedia(raw, sock).catch((err) => {
      deps.log.warn({ err, channelId: ref.channelId, id: m.externalId }, 'whatsapp media download failed; stored without bytes');
      return undefined;
    });
    const mediaId = await storeMedia(deps.db, deps.mediaBox, ref, { waMessageId: m.externalId, kind: m.media.kind, mimetype: m.media.mimetype, bytes });
    m.media = { ...m.media, mediaId, stored: !!bytes };
  }
  const media = m.media || m.quoted ? { ...(m.media ?? {}), ...(m.quoted ? { quoted: m.quoted } : {}) } : undefined;
  await deps.ingest(deps, {
    tenantId: ref.tenantId,
    channelId: ref.channelId,
    channel: 'whatsapp',
    from,
    externalId: m.externalId,
    text: m.text,
    media,
    receivedAt: m.receivedAt,
    fromName: m.fromName,
  });
}

/** Handle one upsert batch, message by message; a message that keeps failing is parked, the rest go on. */
export async function handleUpsert(
  deps: InboundDeps,
  conn: ChannelConnection,
  sock: WhatsAppSocket,
  ev: BaileysEventMap['messages.upsert'],
): Promise<void> {
  for (const raw of ev.messages) {
    try {
      await withRetry(() => handleOne(deps, conn, sock, raw));
    } catch (err) {
      await deps.pending.park(conn.ref, raw, err);
    }
  }
}
