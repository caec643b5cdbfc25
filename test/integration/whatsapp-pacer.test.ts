/**
 * Outbound pacing on real PostgreSQL + Redis/BullMQ: a burst of 20 WhatsApp replies leaves the
 * fake socket spaced by at least the channel's minimum interval, each after a typing presence;
 * the daily cap on new contacts refuses business-initiated messages beyond it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, type ChannelRow } from '../../core/services/tenancy/channels.ts';
import { SendError } from '../../core/channel-sender.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys, waMessage } from '../fakes/fake-baileys-socket.ts';

const fake = createFakeBaileys();
let h: Harness;
let t: TestTenant;
let channel: ChannelRow;
const pacing = { minIntervalMs: 150, jitterMs: 40, typingMs: 30, newContactsPerDay: 2 };

beforeAll(async () => {
  h = await startHarness({ env: { INBOUND_DEBOUNCE_MS: '0' }, runtime: { whatsapp: { factory: fake.factory, rescanMs: 0 } } });
  t = await h.tenant();
  ({ channel } = await createChannel(h.rt.db, h.rt.box, {
    tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700000888', settings: { whatsapp: { pacing } },
  }));
  await h.rt.whatsapp!.ensureChannel(channel.id);
  fake.last().open('254700000888');
  await h.until(() => h.rt.whatsapp!.connection(channel.id)?.status === 'connected', 5000, 'connected');
});
afterAll(async () => h?.close());

describe('WhatsApp pacer', () => {
  it('spaces a burst of 20 replies by at least the minimum interval, typing before each', async () => {
    const s = fake.last();
    const burst = Array.from({ length: 20 }, (_, i) =>
      waMessage({ remoteJid: `2547550000${String(i).padStart(2, '0')}@s.whatsapp.net`, message: { conversation: `question ${i}` } }),
    );
    s.upsert('notify', burst);
    await h.until(() => s.sent.length === 20, 25_000, '20 replies');
    const times = s.sent.map((m) => m.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    // Lower bound only (timers never fire early by more than clock granularity): no speed assertion.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(pacing.minIntervalMs - 2);
    for (const m of s.sent) {
      const typing = s.presence.find((p) => p.jid === m.jid && p.type === 'composing');
      expect(typing!.at).toBeLessThanOrEqual(m.at);
    }
    expect(new Set(s.sent.map((m) => m.jid)).size).toBe(20);
  });

  it('refuses first messages to new contacts beyond the daily cap (not retryable)', async () => {
    const send = (to: string) =>
      h.rt.senders.baileys!.send({
        tenantId: t.tenant.id, channel, credentials: {}, to, text: 'Special offer', messageId: crypto.randomUUID(),
        conversationId: crypto.randomUUID(), author: 'staff',
      });
    await send('+254766000001');
    await send('+254766000002');
    await send('+254766000001'); // same contact again: not counted twice
    const err = await send('+254766000003').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining('daily cap') });
    // Numbers that wrote to us are not new contacts: still answered.
    await send('+254755000001');
  });
});
