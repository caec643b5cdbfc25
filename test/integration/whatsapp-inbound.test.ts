/**
 * WhatsApp inbound and replies end to end on real PostgreSQL + Redis/BullMQ, with a fake Baileys
 * socket emitting real proto.WebMessageInfo objects: text → agent (fake Gemini) → reply through the
 * socket; `append` after an offline period; redelivery; own echoes, status and groups skipped;
 * LID then phone addressing → one customer; voice notes, images and replies; the platform number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../core/crypto.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { readMedia } from '../../gateway/channels/whatsapp/message-store.ts';
import type { PlatformInbound } from '../../gateway/channels/whatsapp/inbound-handler.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys, waMessage, type FakeBaileysSocket } from '../fakes/fake-baileys-socket.ts';

const fake = createFakeBaileys();
const platformInbound: PlatformInbound[] = [];
let h: Harness;
let t: TestTenant;
let channelId: string;
const fastPacing = { whatsapp: { pacing: { minIntervalMs: 0, jitterMs: 0, typingMs: 0 } } };

const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);
const sock = (): FakeBaileysSocket => fake.last();
const inboundRows = (ext: string) => rows(`select * from messages where channel_id = $1 and external_id = $2`, [channelId, ext]);
const customerByHandle = async (handle: string) => (await rows(`select * from customers where tenant_id = $1 and handle = $2`, [t.tenant.id, handle]))[0];
const sentTo = (s: FakeBaileysSocket, jid: string) => s.sent.filter((m) => m.jid === jid);

async function connected(id: string): Promise<FakeBaileysSocket> {
  await h.until(() => h.rt.whatsapp!.connection(id)?.status === 'connected', 5000, 'whatsapp connected');
  return sock();
}

beforeAll(async () => {
  h = await startHarness({
    env: { INBOUND_DEBOUNCE_MS: '0' },
    runtime: {
      whatsapp: {
        factory: fake.factory,
        rescanMs: 0,
        backoff: { baseMs: 20, capMs: 60 },
        downloadMedia: async () => Buffer.from('OggS fake opus bytes'),
        onPlatformInbound: (m) => void platformInbound.push(m),
      },
    },
  });
  t = await h.tenant();
  const { channel } = await createChannel(h.rt.db, h.rt.box, {
    tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700000999', settings: fastPacing,
  });
  channelId = channel.id;
  await h.rt.whatsapp!.ensureChannel(channelId);
  sock().open();
  await connected(channelId);
});
afterAll(async () => h?.close());

describe('WhatsApp inbound → agent → reply', () => {
  it('answers a text message through the socket, with typing presence first, and keeps it for retry receipts', async () => {
    h.gemini.script({ text: 'Karibu! Rooms from KES 9,500.' });
    const s = sock();
    const msg = waMessage({ remoteJid: '254711000001@s.whatsapp.net', pushName: 'Ann', message: { conversation: 'Do you have rooms?' } });
    s.upsert('notify', [msg]);
    await h.until(() => sentTo(s, '254711000001@s.whatsapp.net').length === 1, 10_000, 'reply sent');
    const [out] = sentTo(s, '254711000001@s.whatsapp.net');
    expect(out!.content).toEqual({ text: 'Karibu! Rooms from KES 9,500.' });
    expect(s.presence.find((p) => p.jid === out!.jid && p.type === 'composing')!.at).toBeLessThanOrEqual(out!.at);
    expect(h.gemini.requests.at(-1)!.lastUserText).toBe('Do you have rooms?');
    const customer = await customerByHandle('+254711000001');
    expect(customer).toMatchObject({ name: 'Ann', phone: '+254711000001' });
    const reply = await h.until(async () => {
      const r = await rows(`select * from messages where channel_id = $1 and direction = 'outbound' and external_id = $2`, [channelId, out!.id]);
      return r[0]?.status === 'sent' ? r[0] : undefined;
    });
    expect(reply!.text).toBe('Karibu! Rooms from KES 9,500.');
    // getMessage (Baileys' retry-receipt hook) finds the content by key id, from the database.
    const again = await s.input.getMessage({ id: out!.id, remoteJid: out!.jid, fromMe: true });
    expect(again?.extendedTextMessage?.text ?? again?.conversation).toBe('Karibu! Rooms from KES 9,500.');
  });

  it('stores one message and sends one reply when the same message id is delivered again (notify, then append)', async () => {
    const s = sock();
    const msg = waMessage({ remoteJid: '254711000002@s.whatsapp.net', message: { conversation: 'Hello?' } });
    s.upsert('notify', [msg]);
    await h.until(() => sentTo(s, '254711000002@s.whatsapp.net').length === 1, 10_000, 'first reply');
    // A batch is ingested in order: a marker after each redelivery tells when it was handled.
    const markers = ['254711000092', '254711000093'].map((p) => waMessage({ remoteJid: `${p}@s.whatsapp.net`, message: { conversation: 'marker' } }));
    s.upsert('append', [waMessage({ id: msg.key.id!, remoteJid: '254711000002@s.whatsapp.net', message: { conversation: 'Hello?' } }), markers[0]!]);
    s.upsert('notify', [msg, markers[1]!]);
    await h.until(async () => (await Promise.all(markers.map((m) => inboundRows(m.key.id!)))).every((r) => r.length === 1), 10_000, 'both redelivery batches ingested');
    await h.settled();
    expect(sentTo(s, '254711000002@s.whatsapp.net')).toHaveLength(1);
    expect(await inboundRows(msg.key.id!)).toHaveLength(1);
  });

  it('answers messages that arrive as `append` after an offline period (reconnect)', async () => {
    const before = sock();
    before.close(408);
    await h.until(() => fake.sockets.length >= 2 && sock() !== before, 5000, 'new socket');
    const s = sock();
    expect(before.listeners('messages.upsert')).toBe(0);
    s.open();
    await connected(channelId);
    h.gemini.script({ text: 'Yes, breakfast is included.' });
    const offline = waMessage({ remoteJid: '254711000003@s.whatsapp.net', message: { conversation: 'Is breakfast included?' }, timestamp: Math.floor(Date.now() / 1000) - 600 });
    s.upsert('append', [offline]);
    await h.until(() => sentTo(s, '254711000003@s.whatsapp.net').length === 1, 10_000, 'reply to append');
    expect(sentTo(s, '254711000003@s.whatsapp.net')[0]!.content).toEqual({ text: 'Yes, breakfast is included.' });
  });

  it('ignores our own echoes, status broadcasts and groups (by default); stores nothing for them', async () => {
    const s = sock();
    const echo = waMessage({ remoteJid: '254711000004@s.whatsapp.net', fromMe: true, message: { conversation: 'sent from the phone' } });
    const status = waMessage({ remoteJid: 'status@broadcast', participant: '254711000004@s.whatsapp.net', message: { conversation: 'my status' } });
    const group = waMessage({ remoteJid: '120363000000000001@g.us', participant: '254711000004@s.whatsapp.net', message: { conversation: 'hi all' } });
    // A normal message last in the same batch (ingested in order) tells when the others were handled.
    const marker = waMessage({ remoteJid: '254711000094@s.whatsapp.net', message: { conversation: 'marker' } });
    const sentBefore = s.sent.length;
    s.upsert('notify', [echo, status, group, marker]);
    await h.until(async () => (await inboundRows(marker.key.id!)).length === 1, 10_000, 'the batch ingested');
    await h.settled();
    for (const m of [echo, status, group]) expect(await inboundRows(m.key.id!)).toHaveLength(0);
    expect(await customerByHandle('+254711000004')).toBeUndefined();
    expect(s.sent.filter((m) => m.jid !== '254711000094@s.whatsapp.net').length).toBe(sentBefore);
  });

  it('maps LID-addressed and phone-addressed messages from one person to one customer', async () => {
    const s = sock();
    // Baileys 7: a LID chat with the phone number as remoteJidAlt.
    const a = waMessage({ remoteJid: '201234567890123@lid', remoteJidAlt: '254722000002@s.whatsapp.net', message: { conversation: 'first via LID' } });
    s.upsert('notify', [a]);
    await h.until(async () => (await inboundRows(a.key.id!)).length === 1, 5000, 'LID message stored');
    const b = waMessage({ remoteJid: '254722000002@s.whatsapp.net', message: { conversation: 'then via phone' } });
    s.upsert('notify', [b]);
    await h.until(async () => (await inboundRows(b.key.id!)).length === 1, 5000, 'phone message stored');
    const customer = await customerByHandle('+254722000002');
    const [ra, rb] = [(await inboundRows(a.key.id!))[0]!, (await inboundRows(b.key.id!))[0]!];
    expect(ra.conversation_id).toBe(rb.conversation_id);
    expect((await rows(`select customer_id from conversations where id = $1`, [ra.conversation_id]))[0]!.customer_id).toBe(customer!.id);
    expect(await rows(`select lid, phone from whatsapp_lid_map where channel_id = $1 and lid = '201234567890123'`, [channelId])).toEqual([
      { lid: '201234567890123', phone: '+254722000002' },
    ]);

    // A LID with no phone yet: a 'lid:' customer, folded into the phone handle once Baileys pairs them.
    const c = waMessage({ remoteJid: '209999999999999@lid', message: { conversation: 'LID only' } });
    s.upsert('notify', [c]);
    await h.until(async () => (await inboundRows(c.key.id!)).length === 1, 5000, 'LID-only message stored');
    const lidCustomer = await customerByHandle('lid:209999999999999');
    expect(lidCustomer).toBeTruthy();
    s.ev.emit('lid-mapping.update', { lid: '209999999999999@lid', pn: '254733000003@s.whatsapp.net' });
    await h.until(async () => (await customerByHandle('+254733000003'))?.id === lidCustomer!.id, 5000, 'LID customer merged');
    const d = waMessage({ remoteJid: '254733000003@s.whatsapp.net', message: { conversation: 'now by phone' } });
    s.upsert('notify', [d]);
    await h.until(async () => (await inboundRows(d.key.id!)).length === 1, 5000, 'phone message stored');
    expect((await inboundRows(d.key.id!))[0]!.conversation_id).toBe((await inboundRows(c.key.id!))[0]!.conversation_id);
  });

  it('stores voice notes and images (encrypted bytes) with placeholder text, and replies with the quoted text', async () => {
    const s = sock();
    const voice = waMessage({
      remoteJid: '254744000004@s.whatsapp.net',
      message: { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 4, mediaKey: Buffer.alloc(32, 1), url: 'https://mmg.whatsapp.net/x' } },
    });
    const image = waMessage({ remoteJid: '254744000004@s.whatsapp.net', message: { imageMessage: { caption: 'this one?', mimetype: 'image/jpeg' } } });
    const reply = waMessage({
      remoteJid: '254744000004@s.whatsapp.net',
      message: { extendedTextMessage: { text: 'I want that', contextInfo: { stanzaId: 'ABC', quotedMessage: { conversation: 'Room A is KES 5,000' } } } },
    });
    s.upsert('notify', [voice, image, reply]);
    await h.until(async () => (await inboundRows(reply.key.id!)).length === 1, 5000, 'three stored');
    const [v] = await inboundRows(voice.key.id!);
    expect(v).toMatchObject({ text: '[voice note]', media: expect.objectContaining({ kind: 'voice', seconds: 4, stored: true }) });
    const ref = { channelId, tenantId: t.tenant.id };
    const bytes = await readMedia(h.rt.db, new SecretBox(h.rt.cfg.secretKey, 'whatsapp-media'), ref, v!.media.mediaId);
    expect(bytes?.toString()).toBe('OggS fake opus bytes');
    const raw = await rows(`select data_enc from whatsapp_media where id = $1`, [v!.media.mediaId]);
    expect(raw[0]!.data_enc).not.toContain(Buffer.from('OggS fake opus bytes').toString('base64'));
    expect((await inboundRows(image.key.id!))[0]).toMatchObject({ text: '[image] this one?', media: expect.objectContaining({ kind: 'image' }) });
    expect((await inboundRows(reply.key.id!))[0]).toMatchObject({
      text: '[replying to: "Room A is KES 5,000"] I want that',
      media: { quoted: { id: 'ABC', text: 'Room A is KES 5,000' } },
    });
  });

  it("routes messages to the platform's own number to the platform hook, without a tenant", async () => {
    const { channel } = await createChannel(h.rt.db, h.rt.box, { tenantId: null, type: 'whatsapp', provider: 'baileys', address: '+254700000001' });
    await h.rt.whatsapp!.ensureChannel(channel.id);
    const s = sock();
    s.open('254700000001');
    await connected(channel.id);
    s.upsert('notify', [waMessage({ remoteJid: '254799000009@s.whatsapp.net', message: { conversation: 'onboard Hotel X' } })]);
    await h.until(() => platformInbound.length === 1, 5000, 'platform hook');
    expect(platformInbound[0]).toMatchObject({ channelId: channel.id, from: '+254799000009', text: 'onboard Hotel X' });
    expect(await rows(`select 1 from messages where channel_id = $1`, [channel.id])).toHaveLength(0);
  });
});
