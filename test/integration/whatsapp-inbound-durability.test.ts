/**
 * WhatsApp does not redeliver a message Baileys has acknowledged, so a transient ingest failure
 * must not lose it: the message is parked (encrypted) and ingested again later. Real PostgreSQL +
 * Redis/BullMQ; the failure is injected through the manager's `ingest` option (our DB and queue
 * stay real): failing before anything is stored, and failing after the insert (as a queue error
 * would). Either way: exactly one stored message and one reply once ingest recovers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../core/services/conversations/ingest.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys, waMessage } from '../fakes/fake-baileys-socket.ts';

const WAIT = 20_000;
const fake = createFakeBaileys();
/**
 * 'before': throw before storing; 'after': the real ingest stores the message, then its enqueue
 * fails (the real queue wrapped so that `enqueue` rejects, as when Redis drops the connection);
 * 'ok': the real ingest.
 */
let mode: 'ok' | 'before' | 'after' = 'ok';
let failures = 0;
const flakyIngest: typeof ingestInbound = async (deps, msg) => {
  if (mode === 'before') {
    failures++;
    throw new Error('connection terminated unexpectedly');
  }
  if (mode === 'after') {
    failures++;
    const lostEnqueue = { enqueue: async () => Promise.reject(new Error('Connection is closed.')) };
    return ingestInbound({ ...deps, queue: lostEnqueue }, msg);
  }
  return ingestInbound(deps, msg);
};

let h: Harness;
let t: TestTenant;
let channelId: string;
const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);
const parked = (id: string) => rows(`select * from whatsapp_inbound_pending where channel_id = $1 and wa_message_id = $2`, [channelId, id]);
const inbound = (id: string) => rows(`select * from messages where channel_id = $1 and external_id = $2`, [channelId, id]);

beforeAll(async () => {
  h = await startHarness({
    runtime: { whatsapp: { factory: fake.factory, rescanMs: 0, backoff: { baseMs: 20, capMs: 60 }, ingest: flakyIngest, pendingRetryMs: 150 } },
  });
  t = await h.tenant();
  const { channel } = await createChannel(h.rt.db, h.rt.box, {
    tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700000888',
    settings: { whatsapp: { pacing: { minIntervalMs: 0, jitterMs: 0, typingMs: 0 } } },
  });
  channelId = channel.id;
  await h.rt.whatsapp!.ensureChannel(channelId);
  fake.last().open('254700000888');
  await h.until(() => h.rt.whatsapp!.connection(channelId)?.status === 'connected', WAIT, 'connected');
});
afterAll(async () => h?.close());

describe('inbound durability', () => {
  it.each([
    ['before anything is stored', 'before', '254711100001'],
    ['after the insert (enqueue failed)', 'after', '254711100002'],
  ] as const)('a message whose ingest fails %s is parked, then stored once and answered once', async (_what, failMode, phone) => {
    const jid = `${phone}@s.whatsapp.net`;
    const s = fake.last();
    h.gemini.script({ text: `Reply for ${phone}` });
    failures = 0;
    mode = failMode;
    const msg = waMessage({ remoteJid: jid, pushName: 'Wanjiru', message: { conversation: 'Secret booking question 42' } });
    s.upsert('notify', [msg]);
    const row = (await h.until(async () => { const r = await parked(msg.key.id!); return r.length ? r : undefined; }, WAIT, 'message parked'))![0];
    expect(row!.data_enc).not.toContain('Secret booking');
    expect(row!.tenant_id).toBe(t.tenant.id);
    // The parked copy is retried on the timer while ingest keeps failing.
    await h.until(() => failures >= 4, WAIT, 'retries while failing');

    mode = 'ok';
    await h.until(async () => (await parked(msg.key.id!)).length === 0, WAIT, 'parked row cleared');
    await h.until(() => s.sent.some((m) => m.jid === jid), WAIT, 'reply sent');
    const reply = await h.until(async () => {
      const r = await rows(`select * from messages where channel_id = $1 and direction = 'outbound' and status = 'sent' and text = $2`, [channelId, `Reply for ${phone}`]);
      return r.length ? r : undefined;
    }, WAIT, 'reply recorded sent');
    // Settled: no inbound job left for this message, nothing pending; exactly one of each.
    await h.until(async () => (await h.rt.queue.counts()).inbound === 0 && (await h.rt.queue.counts()).outbound === 0, WAIT, 'queues idle');
    expect(await inbound(msg.key.id!)).toHaveLength(1);
    expect(reply).toHaveLength(1);
    expect(s.sent.filter((m) => m.jid === jid)).toHaveLength(1);
    expect((await inbound(msg.key.id!))[0]!.text).toBe('Secret booking question 42');
  });
});
