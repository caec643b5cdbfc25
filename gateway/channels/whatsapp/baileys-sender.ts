/**
 * Outbound WhatsApp through the channel's live Baileys socket (provider 'baileys'), called by the
 * `outbound` worker: daily cap for new contacts → paced slot (SendGate, see pacer.ts) → typing presence
 * ('composing') for settings.typingMs before the slot → sendMessage → the sent content stored by
 * its WhatsApp key id (backs getMessage for retry receipts).
 *
 * The socket lives in the process holding the channel's lease: with BullMQ, delivery hands Baileys
 * messages to that process (outbound-route.ts); while it reconnects the send fails retryably.
 */
import { sql } from 'drizzle-orm';
import { proto } from '@whiskeysockets/baileys';
import type { Database } from '../../../core/db/client.ts';
import { SendError, type ChannelSender, type OutboundSend } from '../../../core/channel-sender.ts';
import type { ChannelConnection } from './connection.ts';
import { recordSent } from './message-store.ts';
import { pacingOf, SendGate, type Pacer } from './pacer.ts';

export interface BaileysSenderDeps {
  db: Database;
  pacer: Pacer;
  /** The channel's connection in this process, if any. */
  connection(channelId: string): ChannelConnection | undefined;
}

/** WhatsApp JID of a customer handle: '+2547…' → '2547…@s.whatsapp.net', 'lid:123' → '123@lid'. */
export function jidForHandle(handle: string): string {
  if (/^\+\d{6,15}$/.test(handle)) return `${handle.slice(1)}@s.whatsapp.net`;
  if (/^lid:\d+$/.test(handle)) return `${handle.slice(4)}@lid`;
  throw new SendError(`not a WhatsApp address: ${handle}`, false);
}

function sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
  const ms = at - Date.now();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new SendError('send aborted while waiting for its pacing slot', true));
    }, { once: true });
  });
}

/** True when this handle never wrote to us on this channel (a business-initiated first contact). */
async function isNewContact(db: Database, msg: OutboundSend): Promise<boolean> {
  if (!msg.channel.tenantId) return false;
  return db.withTenant(msg.tenantId, async (tx) => {
    const r = await tx.execute(sql`
      select 1 from messages m
      join conversations c on c.id = m.conversation_id
      join customers cu on cu.id = c.customer_id
      where m.channel_id = ${msg.channel.id} and m.direction = 'inbound' and cu.handle = ${msg.to}
      limit 1`);
    return r.rows.length === 0;
  });
}

export function createBaileysSender(deps: BaileysSenderDeps): ChannelSender {
  const gate = new SendGate();
  const live = (channelId: string) => {
    const conn = deps.connection(channelId);
    if (conn && (conn.status === 'logged_out' || conn.status === 'stopped'))
      throw new SendError(`whatsapp channel is ${conn.status}; relink it`, false);
    const sock = conn?.socket;
    if (!conn || !sock) throw new SendError('whatsapp channel is not connected in this process', true);
    return { conn, sock };
  };
  return {
    async send(msg, signal) {
      const jid = jidForHandle(msg.to);
      live(msg.channel.id);
      const p = pacingOf(msg.channel.settings);
      if ((await isNewContact(deps.db, msg)) && !(await deps.pacer.admitNewContact(msg.channel.id, msg.to, p)))
        throw new SendError(`daily cap of ${p.newContactsPerDay} new WhatsApp contacts reached`, false);
      const { conn, sock, sent } = await gate.run(msg.channel.id, p, async (at) => {
        await sleepUntil(at - p.typingMs, signal);
        await live(msg.channel.id).sock.sendPresenceUpdate('composing', jid).catch(() => {});
        await sleepUntil(at, signal);
        const { conn, sock } = live(msg.channel.id);
        try {
          return { conn, sock, sent: await sock.sendMessage(jid, { text: msg.text }) };
        } catch (err) {
          throw new SendError(`whatsapp send failed: ${(err as Error).message}`, true);
        }
      });
      await sock.sendPresenceUpdate('paused', jid).catch(() => {});
      const id = sent?.key?.id ?? undefined;
      if (id) {
        const content = proto.Message.toObject(proto.Message.fromObject(sent?.message ?? { conversation: msg.text }), { bytes: String });
        await recordSent(deps.db, conn.ref, id, jid, content as Record<string, unknown>);
      }
      return { externalId: id };
    },
  };
}
