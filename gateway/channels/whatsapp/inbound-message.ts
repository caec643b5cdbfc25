/**
 * Turn one Baileys `WAMessage` (from `messages.upsert`, type notify or append) into what ingest
 * needs, or a reason to skip it. Pure: no I/O.
 *
 * Addressing (Baileys 7): a 1:1 chat's `key.remoteJid` is either a phone JID
 * ('2547…@s.whatsapp.net') or a LID ('1234…@lid'); `key.remoteJidAlt` carries the other form when
 * WhatsApp sends it (`participant` / `participantAlt` in groups). Older 7.0 RCs used
 * `senderPn` / `senderLid` / `participantPn`, read too when present.
 */
import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  jidDecode,
  normalizeMessageContent,
  type WAMessage,
  type proto,
} from '@whiskeysockets/baileys';

export type MediaKind = 'image' | 'voice' | 'audio' | 'video' | 'document' | 'sticker';

export interface ParsedInbound {
  externalId: string;
  /** The sender's JID as addressed (LID or phone JID). */
  senderJid: string;
  /** Digits of the sender's LID when known ('1234…'). */
  lid?: string;
  /** The sender's phone number in E.164 ('+2547…') when known. */
  phone?: string;
  isGroup: boolean;
  chatJid: string;
  /** Text for the agent (placeholders such as "[voice note]" for media). */
  text: string;
  media?: { kind: MediaKind; mimetype?: string; seconds?: number; mediaId?: string; stored?: boolean };
  quoted?: { id?: string; text?: string };
  fromName?: string;
  receivedAt: Date;
}

export type ParseResult = { ok: true; msg: ParsedInbound } | { ok: false; reason: string };

const PLACEHOLDER: Record<MediaKind, string> = {
  image: '[image]',
  voice: '[voice note]',
  audio: '[audio]',
  video: '[video]',
  document: '[document]',
  sticker: '[sticker]',
};

/** '+<digits>' of a phone-number JID, undefined for anything else. */
export function phoneOfJid(jid: string | null | undefined): string | undefined {
  if (!jid || isLidUser(jid)) return undefined;
  const d = jidDecode(jid);
  return d && (d.server === 's.whatsapp.net' || d.server === 'c.us') && /^\d{6,15}$/.test(d.user) ? `+${d.user}` : undefined;
}

/** Digits of a LID JID ('1234@lid' → '1234'), undefined for anything else. */
export function lidOfJid(jid: string | null | undefined): string | undefined {
  if (!jid || !isLidUser(jid)) return undefined;
  return jidDecode(jid)?.user;
}

interface Extracted {
  text: string;
  media?: ParsedInbound['media'];
  contextInfo?: proto.IContextInfo | null;
}

/** Text (or placeholder) of a message content; undefined for content that is not a message to answer. */
export function extractContent(content: proto.IMessage | null | undefined): Extracted | undefined {
  const m = normalizeMessageContent(content);
  if (!m) return undefined;
  const type = getContentType(m);
  const withCaption = (kind: MediaKind, caption: string | null | undefined, mimetype?: string | null, seconds?: number | null) => ({
    text: caption ? `${PLACEHOLDER[kind]} ${caption}` : PLACEHOLDER[kind],
    media: { kind, mimetype: mimetype ?? undefined, seconds: seconds ?? undefined },
  });
  switch (type) {
    case 'conversation':
      return m.conversation ? { text: m.conversation } : undefined;
    case 'extendedTextMessage':
      return m.extendedTextMessage?.text ? { text: m.extendedTextMessage.text, contextInfo: m.extendedTextMessage.contextInfo } : undefined;
    case 'imageMessage': {
      const i = m.imageMessage!;
      return { ...withCaption('image', i.caption, i.mimetype), contextInfo: i.contextInfo };
    }
    case 'videoMessage': {
      const v = m.videoMessage!;
      return { ...withCaption('video', v.caption, v.mimetype, v.seconds), contextInfo: v.contextInfo };
    }
    case 'audioMessage': {
      const a = m.audioMessage!;
      return { ...withCaption(a.ptt ? 'voice' : 'audio', null, a.mimetype, a.seconds), contextInfo: a.contextInfo };
    }
    case 'documentMessage': {
      const d = m.documentMessage!;
      return { ...withCaption('document', d.caption ?? d.fileName, d.mimetype), contextInfo: d.contextInfo };
    }
    case 'documentWithCaptionMessage':
      return extractContent(m.documentWithCaptionMessage?.message);
    case 'stickerMessage':
      return { ...withCaption('sticker', null, m.stickerMessage?.mimetype), contextInfo: m.stickerMessage?.contextInfo };
    case 'locationMessage': {
      const l = m.locationMessage!;
      return { text: `[location ${l.degreesLatitude},${l.degreesLongitude}]${l.name ? ` ${l.name}` : ''}` };
    }
    case 'contactMessage':
      return { text: `[contact] ${m.contactMessage?.displayName ?? ''}`.trim() };
    case 'buttonsResponseMessage':
      return m.buttonsResponseMessage?.selectedDisplayText ? { text: m.buttonsResponseMessage.selectedDisplayText } : undefined;
    case 'listResponseMessage':
      return m.listResponseMessage?.title ? { text: m.listResponseMessage.title } : undefined;
    default:
      // protocolMessage (revokes, edits), reactions, key distribution, polls…: nothing to answer.
      return undefined;
  }
}

/**
 * Parse one upserted message.
 * @param opts.allowGroups answer group messages (off by default; per-channel setting).
 */
export function parseInbound(msg: WAMessage, opts: { allowGroups?: boolean } = {}): ParseResult {
  const key = msg.key as WAMessage['key'] & Record<string, string | undefined>;
  const chatJid = key.remoteJid ?? '';
  if (!key.id || !chatJid) return { ok: false, reason: 'no key' };
  if (key.fromMe) return { ok: false, reason: 'own message' };
  if (isJidStatusBroadcast(chatJid)) return { ok: false, reason: 'status broadcast' };
  if (isJidBroadcast(chatJid) || isJidNewsletter(chatJid)) return { ok: false, reason: 'broadcast/newsletter' };
  const isGroup = !!isJidGroup(chatJid);
  if (isGroup && !opts.allowGroups) return { ok: false, reason: 'group' };
  const content = extractContent(msg.message);
  if (!content) return { ok: false, reason: 'no answerable content' };

  const senderJid = (isGroup ? key.participant : chatJid) ?? '';
  if (!senderJid) return { ok: false, reason: 'no sender' };
  const alts = isGroup
    ? [key.participantAlt, key.participantPn, key.participantLid]
    : [key.remoteJidAlt, key.senderPn, key.senderLid];
  const all = [senderJid, ...alts];
  const lid = all.map(lidOfJid).find(Boolean);
  const phone = all.map(phoneOfJid).find(Boolean);

  let text = content.text;
  let quoted: ParsedInbound['quoted'];
  const ctx = content.contextInfo;
  if (ctx?.quotedMessage || ctx?.stanzaId) {
    quoted = { id: ctx.stanzaId ?? undefined, text: extractContent(ctx.quotedMessage)?.text };
    // The agent sees what is being replied to; the stored media JSON keeps the reference too.
    if (quoted.text) text = `[replying to: "${quoted.text.slice(0, 200)}"] ${text}`;
  }
  const ts = Number(msg.messageTimestamp ?? 0);
  return {
    ok: true,
    msg: {
      externalId: key.id,
      senderJid,
      lid,
      phone,
      isGroup,
      chatJid,
      text,
      media: content.media,
      quoted,
      fromName: msg.pushName ?? undefined,
      receivedAt: ts > 0 ? new Date(ts * 1000) : new Date(),
    },
  };
}
