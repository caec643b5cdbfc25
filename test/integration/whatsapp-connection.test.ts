/**
 * The WhatsApp socket lifecycle on real PostgreSQL + Redis with fake Baileys sockets: reconnect
 * on 515/408 with old listeners removed, stop and notify on 401/440, one socket across two
 * managers (two processes) sharing Redis, auth state persisted encrypted and reloaded intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../core/events.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { createRuntimeWhatsApp } from '../../gateway/channels/whatsapp/runtime-wiring.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys } from '../fakes/fake-baileys-socket.ts';

const fake = createFakeBaileys();
let h: Harness;
let t: TestTenant;
const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);
let n = 0;
/** Generous waits: the full suite loads the machine; a pass is still usually immediate. */
const WAIT = 20_000;
const newChannel = async () =>
  (await createChannel(h.rt.db, h.rt.box, { tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: `+2547000100${String(++n).padStart(2, '0')}` })).channel.id;
const status = async (id: string) => (await rows(`select status, settings from channels where id = $1`, [id]))[0]!;
const otherManager = (factory: ReturnType<typeof createFakeBaileys>['factory'], holderId: string) =>
  createRuntimeWhatsApp({ cfg: h.rt.cfg, db: h.rt.db, queue: h.rt.queue, bus: h.rt.bus, log: h.rt.log }, { factory, holderId, rescanMs: 0, standbyRetryMs: 50, backoff: { baseMs: 20, capMs: 60 } });

beforeAll(async () => {
  h = await startHarness({ runtime: { whatsapp: { factory: fake.factory, rescanMs: 0, standbyRetryMs: 50, backoff: { baseMs: 20, capMs: 60 } } } });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('reconnect state machine', () => {
  it('reconnects on 515 and 408, removing the old socket’s listeners and ending it first', async () => {
    const id = await newChannel();
    await h.rt.whatsapp!.ensureChannel(id);
    const first = fake.last();
    expect(await status(id)).toMatchObject({ status: 'linking' });
    first.qr('2@fake-qr-ref');
    await h.until(() => h.rt.whatsapp!.linkState(id)?.qr === '2@fake-qr-ref', WAIT, 'qr exposed');
    first.open();
    await h.until(async () => (await status(id)).status === 'connected', WAIT, 'connected');
    for (const code of [515, 408]) {
      const before = fake.last();
      before.close(code);
      await h.until(() => fake.last() !== before, WAIT, `new socket after ${code}`);
      expect(before.ended).toBe(true);
      for (const ev of ['connection.update', 'messages.upsert', 'creds.update']) expect(before.listeners(ev)).toBe(0);
      fake.last().open();
      await h.until(async () => (await status(id)).status === 'connected', WAIT, 'connected again');
    }
  });

  it.each([
    [401, 'logged_out', 'logged_out'],
    [440, 'stopped', 'connection_replaced'],
    [403, 'stopped', 'forbidden'],
  ])('stops on %i, stores status %s and notifies the tenant instead of reconnecting', async (code, stored, reason) => {
    const events: LiveEvent[] = [];
    const unsubscribe = await h.rt.bus.subscribe(`tenant:${t.tenant.id}`, (e) => void events.push(e));
    const id = await newChannel();
    await h.rt.whatsapp!.ensureChannel(id);
    const s = fake.last();
    s.open();
    await h.until(async () => (await status(id)).status === 'connected', WAIT, 'connected');
    const made = fake.sockets.length;
    s.close(code);
    await h.until(() => events.some((e) => e.type === 'whatsapp.status' && e.channelId === id && e.status === stored), WAIT, 'tenant notified');
    expect(events.find((e) => e.type === 'whatsapp.status' && e.channelId === id && e.status === stored)).toMatchObject({ reason });
    expect(await status(id)).toMatchObject({ status: stored, settings: { whatsappLink: expect.objectContaining({ status: stored, reason }) } });
    // Settled: the connection is terminal and gave its lease up; then several backoff periods
    // (20–60 ms here) pass, and nothing may have reconnected.
    await h.until(() => h.rt.whatsapp!.linkState(id)?.status === stored, WAIT, 'terminal status in memory');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sockets.length).toBe(made);
    if (code === 401) expect(await rows(`select 1 from whatsapp_auth where channel_id = $1`, [id])).toHaveLength(0);
    await unsubscribe();
  });
});

describe('one socket per channel', () => {
  it('two managers (two processes) on one channel: only one socket; the other takes over when it stops', async () => {
    const id = await newChannel();
    const fakeB = createFakeBaileys();
    const b = otherManager(fakeB.factory, 'process-b');
    const before = fake.sockets.length;
    // Both race, twice each (the in-process guard and the Redis lease).
    await Promise.all([h.rt.whatsapp!.ensureChannel(id), b.ensureChannel(id), h.rt.whatsapp!.ensureChannel(id), b.ensureChannel(id)]);
    const made = () => fake.sockets.length - before + fakeB.sockets.length;
    expect(made()).toBe(1);
    const aHolds = fake.sockets.length > before;
    const fence1 = Number((await rows(`select fence from whatsapp_sessions where channel_id = $1`, [id]))[0]!.fence);
    // The holder goes away; the standby picks the channel up with a newer fencing token.
    if (aHolds) await h.rt.whatsapp!.connection(id)!.stop();
    else await b.connection(id)!.stop();
    await h.until(() => made() === 2, WAIT, 'standby takes over');
    expect(aHolds ? fakeB.sockets.length : fake.sockets.length - before).toBe(1);
    const fence2 = Number((await rows(`select fence from whatsapp_sessions where channel_id = $1`, [id]))[0]!.fence);
    expect(fence2).toBeGreaterThan(fence1);
    await b.stop();
  });
});

describe('auth state', () => {
  it('survives a restart (same creds and keys) and is not readable as plaintext in the database', async () => {
    const id = await newChannel();
    const fakeA = createFakeBaileys();
    const a = otherManager(fakeA.factory, 'first-boot');
    await a.ensureChannel(id);
    const s = fakeA.last();
    s.open('254700000777');
    await s.input.auth.keys.set({
      'pre-key': { '11': { public: Buffer.alloc(32, 7), private: Buffer.alloc(32, 9) } },
      session: { '254711222333.0': Buffer.from('session-bytes-for-254711222333') },
    });
    const creds = s.input.auth.creds;
    await h.until(async () => (await status(id)).status === 'connected', WAIT, 'connected');
    await a.stop();

    const fakeB = createFakeBaileys();
    const b = otherManager(fakeB.factory, 'second-boot');
    await b.ensureChannel(id);
    const reloaded = fakeB.last().input.auth;
    expect(reloaded.creds.registered).toBe(true);
    expect(reloaded.creds.me?.id).toBe('254700000777:7@s.whatsapp.net');
    expect(Buffer.from(reloaded.creds.noiseKey.private).equals(Buffer.from(creds.noiseKey.private))).toBe(true);
    expect(Buffer.from(reloaded.creds.signedIdentityKey.public).equals(Buffer.from(creds.signedIdentityKey.public))).toBe(true);
    expect(reloaded.creds.registrationId).toBe(creds.registrationId);
    const pre = await reloaded.keys.get('pre-key', ['11', 'missing']);
    expect(Buffer.from(pre['11']!.private).equals(Buffer.alloc(32, 9))).toBe(true);
    expect(pre.missing).toBeUndefined();
    const sess = await reloaded.keys.get('session', ['254711222333.0']);
    expect(Buffer.from(sess['254711222333.0']!).toString()).toBe('session-bytes-for-254711222333');
    expect(b.linkState(id)?.status).not.toBe('linking');
    await b.stop();

    const dump = JSON.stringify(await rows(`select t.* from whatsapp_auth t where channel_id = $1`, [id]));
    for (const secret of [
      'noiseKey', 'registered', '254700000777', '254711222333', 'session-bytes',
      Buffer.from(creds.noiseKey.private).toString('base64'), Buffer.from('session-bytes-for-254711222333').toString('base64'),
    ]) expect(dump).not.toContain(secret);
    expect((await rows(`select data_enc from whatsapp_auth where channel_id = $1`, [id])).every((r) => r.data_enc.startsWith('v1.'))).toBe(true);
  });
});

describe('linking from the terminal (CLI hook)', () => {
  it('prints the QR code and a pairing code, and finishes once the number is connected', async () => {
    const id = await newChannel();
    const fakeL = createFakeBaileys();
    const printed: string[] = [];
    const { linkWhatsAppInTerminal } = await import('../../gateway/channels/whatsapp/link-terminal.ts');
    const done = linkWhatsAppInTerminal({ cfg: h.rt.cfg, db: h.rt.db, queue: h.rt.queue, bus: h.rt.bus, log: h.rt.log }, id, {
      pairPhone: '+254700000555', print: (s) => void printed.push(s), whatsapp: { factory: fakeL.factory, holderId: 'cli' },
    });
    await h.until(() => fakeL.sockets.length === 1, WAIT, 'socket');
    fakeL.last().qr('2@terminal-qr');
    await h.until(() => printed.some((p) => p.includes('raw QR: 2@terminal-qr')) && printed.some((p) => p.includes('ABCD1234')), WAIT, 'printed');
    expect(printed.find((p) => p.includes('raw QR'))).toMatch(/[▀▄█]/);
    fakeL.last().open('254700000555');
    expect(await done).toBe('connected');
  });
});
