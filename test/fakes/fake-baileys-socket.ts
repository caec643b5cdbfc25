/**
 * A fake Baileys socket for tests (no network): an EventEmitter `ev` that emits the payloads
 * Baileys 7 emits — `messages.upsert` with real `proto.WebMessageInfo` objects, `connection.update`
 * with `@hapi/boom` errors carrying DisconnectReason status codes, `creds.update` after mutating
 * the auth creds in place (as Baileys does) — and records sendMessage / sendPresenceUpdate / end.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Boom } from '@hapi/boom';
import { proto, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import type { SocketFactory, SocketFactoryInput, WhatsAppSocket } from '../../gateway/channels/whatsapp/socket.ts';

export interface SentRecord {
  jid: string;
  content: AnyMessageContent;
  id: string;
  /** Date.now() at the call. */
  at: number;
}

export class FakeBaileysSocket implements WhatsAppSocket {
  readonly ev = new EventEmitter();
  user?: { id: string; lid?: string };
  readonly sent: SentRecord[] = [];
  readonly presence: Array<{ type: string; jid?: string; at: number }> = [];
  ended = false;

  constructor(readonly input: SocketFactoryInput) {}

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage> {
    if (this.ended) throw new Error('Connection Closed');
    const id = `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
    this.sent.push({ jid, content, id, at: Date.now() });
    const text = (content as { text?: string }).text ?? '';
    return proto.WebMessageInfo.fromObject({
      key: { remoteJid: jid, fromMe: true, id },
      message: { extendedTextMessage: { text } },
      messageTimestamp: Math.floor(Date.now() / 1000),
      status: proto.WebMessageInfo.Status.PENDING,
    }) as WAMessage;
  }

  async sendPresenceUpdate(type: string, jid?: string): Promise<void> {
    this.presence.push({ type, jid, at: Date.now() });
  }

  async requestPairingCode(_phone: string): Promise<string> {
    return 'ABCD1234';
  }

  end(_err: Error | undefined): void {
    this.ended = true;
  }

  /** Listener count for one event (to check old sockets were detached). */
  listeners(event: string): number {
    return this.ev.listenerCount(event);
  }

  /** Link/connect: marks creds registered, emits creds.update then connection 'open'. */
  open(phone = '254700000999'): void {
    this.user = { id: `${phone}:7@s.whatsapp.net`, lid: `99${phone}:7@lid` };
    const creds = this.input.auth.creds;
    creds.registered = true;
    creds.me = { id: this.user.id, lid: this.user.lid, name: 'Biz' };
    this.ev.emit('creds.update', { registered: true, me: creds.me });
    this.ev.emit('connection.update', { connection: 'open' });
  }

  qr(value: string): void {
    this.ev.emit('connection.update', { qr: value });
  }

  /** Close with a Baileys DisconnectReason status code, as a Boom error. */
  close(statusCode: number): void {
    const error = new Boom('Stream Errored', { statusCode });
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  upsert(type: 'notify' | 'append', messages: WAMessage[]): void {
    this.ev.emit('messages.upsert', { messages, type });
  }
}

export interface FakeBaileys {
  factory: SocketFactory;
  sockets: FakeBaileysSocket[];
  last(): FakeBaileysSocket;
}

export function createFakeBaileys(): FakeBaileys {
  const sockets: FakeBaileysSocket[] = [];
  return {
    sockets,
    factory: (input) => {
      const s = new FakeBaileysSocket(input);
      sockets.push(s);
      return s;
    },
    last() {
      const s = sockets.at(-1);
      if (!s) throw new Error('no fake socket made yet');
      return s;
    },
  };
}

export interface WaMessageInput {
  id?: string;
  /** key.remoteJid: '2547…@s.whatsapp.net', '1234@lid', a group '…@g.us' or 'status@broadcast'. */
  remoteJid: string;
  /** key.remoteJidAlt (Baileys 7 sets it after decoding when WhatsApp sends the other address form). */
  remoteJidAlt?: string;
  participant?: string;
  fromMe?: boolean;
  pushName?: string;
  /** proto.Message object, e.g. { conversation: 'hi' }. */
  message: Record<string, unknown>;
  timestamp?: number;
}

/** A real Baileys message object (proto.WebMessageInfo) with Baileys 7's key extensions. */
export function waMessage(m: WaMessageInput): WAMessage {
  const msg = proto.WebMessageInfo.fromObject({
    key: { remoteJid: m.remoteJid, fromMe: !!m.fromMe, id: m.id ?? `3A${randomBytes(9).toString('hex').toUpperCase()}`, participant: m.participant },
    message: m.message,
    messageTimestamp: m.timestamp ?? Math.floor(Date.now() / 1000),
    pushName: m.pushName,
  }) as WAMessage;
  if (m.remoteJidAlt) msg.key.remoteJidAlt = m.remoteJidAlt;
  return msg;
}
