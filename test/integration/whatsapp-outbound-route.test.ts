/**
 * Multi-process WhatsApp sends on real PostgreSQL + Redis/BullMQ: a gateway-only process
 * (ROLE=gateway, consumes no job queue) holds the channel's socket; a separate worker process
 * (ROLE=worker, no socket) runs the agent and takes every `outbound` job. The worker routes each
 * Baileys reply to the channel's `wa-out-<id>` queue, which the lease holder consumes, so every
 * reply goes out through the one live socket, once, and is recorded `sent`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../bin/runtime.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys, waMessage } from '../fakes/fake-baileys-socket.ts';

const WAIT = 20_000;
const fake = createFakeBaileys();
let h: Harness;
let worker: Runtime;
let t: TestTenant;
let channelId: string;
const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);

beforeAll(async () => {
  h = await startHarness({ env: { ROLE: 'gateway' }, runtime: { whatsapp: { factory: fake.factory, rescanMs: 0, backoff: { baseMs: 20, capMs: 60 } } } });
  worker = await createRuntime({ ...h.rt.cfg, runGateway: false, activeQueues: undefined }, { skipMigrate: true, logger: h.rt.log });
  await worker.start({ listen: false });
  t = await h.tenant();
  const { channel } = await createChannel(h.rt.db, h.rt.box, {
    tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700000777',
    settings: { whatsapp: { pacing: { minIntervalMs: 0, jitterMs: 0, typingMs: 0 } } },
  });
  channelId = channel.id;
  await h.rt.whatsapp!.ensureChannel(channelId);
  fake.last().open('254700000777');
  await h.until(() => h.rt.whatsapp!.connection(channelId)?.status === 'connected', WAIT, 'connected');
});
afterAll(async () => {
  await worker?.stop();
  await h?.close();
});

describe('WhatsApp sends from a worker process', () => {
  it('a worker without a socket routes replies to the lease holder: each sent once through the live socket', async () => {
    expect(worker.whatsapp).toBeUndefined();
    expect(h.rt.cfg.activeQueues).toEqual([]);
    const s = fake.last();
    const phones = ['254711200001', '254711200002', '254711200003', '254711200004'];
    for (const p of phones) h.gemini.script({ text: `Hello ${p}` });
    s.upsert('notify', phones.map((p) => waMessage({ remoteJid: `${p}@s.whatsapp.net`, message: { conversation: `Hi from ${p}` } })));
    const outbound = () => rows(`select status, text, external_id from messages where channel_id = $1 and direction = 'outbound'`, [channelId]);
    await h.until(async () => (await outbound()).filter((r) => r.status === 'sent').length === phones.length, WAIT, 'all replies sent');
    await h.until(async () => {
      const c = await worker.queue.counts();
      return c.inbound === 0 && c.outbound === 0;
    }, WAIT, 'queues idle');
    for (const p of phones) expect(s.sent.filter((m) => m.jid === `${p}@s.whatsapp.net`)).toHaveLength(1);
    const out = await outbound();
    expect(out).toHaveLength(phones.length);
    expect(new Set(out.map((r) => r.external_id))).toEqual(new Set(s.sent.map((m) => m.id)));
  });
});
