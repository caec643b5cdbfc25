/**
 * The socket lease during a Redis outage, on real Redis: the holder reaches Redis through a local
 * TCP relay that the test cuts. Renewals then fail; the holder must give the lease up (end its
 * socket) before the key lapses, so a second process taking the lease never meets a live socket.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { createRedisLease } from '../../gateway/channels/whatsapp/lease.ts';
import { createRuntimeWhatsApp } from '../../gateway/channels/whatsapp/runtime-wiring.ts';
import { REDIS_URL, startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createFakeBaileys } from '../fakes/fake-baileys-socket.ts';

const WAIT = 20_000;

/** A TCP relay to the test Redis; `cut()` drops every connection and refuses new ones. */
async function redisRelay(): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const open = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => {});
      s.on('close', () => open.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}${target.pathname.length > 1 ? target.pathname : ''}`,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let h: Harness;
let t: TestTenant;
beforeAll(async () => {
  h = await startHarness({ runtime: { whatsapp: { factory: createFakeBaileys().factory, rescanMs: 0 } } });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('WhatsApp lease during a Redis outage', () => {
  it('the holder gives the lease up (onLost) before its key lapses and another process can take it', async () => {
    const relay = await redisRelay();
    const ttlMs = 900;
    const prefix = h.rt.cfg.redisPrefix;
    const holder = createRedisLease(relay.url, prefix, { ownerId: 'cut-off', ttlMs });
    const other = createRedisLease(REDIS_URL, prefix, { ownerId: 'other', ttlMs });
    const channelId = `lease-${Date.now()}`;
    let lostAt = 0;
    const lease = await holder.acquire(channelId, () => void (lostAt = Date.now()));
    expect(lease).toBeDefined();
    // Renewals work while Redis is reachable: the lease outlives several TTLs.
    await new Promise((r) => setTimeout(r, ttlMs * 2));
    expect(lostAt).toBe(0);
    expect(await other.acquire(channelId, () => {})).toBeUndefined();

    relay.cut();
    let takenAt = 0;
    const taken = await h.until(async () => {
      const l = await other.acquire(channelId, () => {});
      if (l) takenAt = Date.now();
      return l;
    }, WAIT, 'the key lapses and the other process takes the lease');
    expect(lostAt).toBeGreaterThan(0);
    expect(lostAt).toBeLessThanOrEqual(takenAt);
    expect(taken!.token).toBeGreaterThan(lease!.token);
    await Promise.all([taken!.release(), holder.close(), other.close(), relay.close()]);
  });

  it('a connection cut off from Redis ends its socket; a second manager then connects alone', async () => {
    const relay = await redisRelay();
    const { channel } = await createChannel(h.rt.db, h.rt.box, { tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700000901' });
    const opts = { rescanMs: 0, standbyRetryMs: 100, backoff: { baseMs: 20, capMs: 60 }, leaseTtlMs: 900 };
    const deps = { db: h.rt.db, queue: h.rt.queue, bus: h.rt.bus, log: h.rt.log };
    const fakeA = createFakeBaileys();
    const fakeB = createFakeBaileys();
    const a = createRuntimeWhatsApp({ ...deps, cfg: { ...h.rt.cfg, redisUrl: relay.url } }, { ...opts, factory: fakeA.factory, holderId: 'a' });
    const b = createRuntimeWhatsApp({ ...deps, cfg: h.rt.cfg }, { ...opts, factory: fakeB.factory, holderId: 'b' });
    await a.ensureChannel(channel.id);
    fakeA.last().open('254700000901');
    await h.until(() => a.connection(channel.id)?.status === 'connected', WAIT, 'a connected');
    await b.ensureChannel(channel.id);
    expect(b.connection(channel.id)?.status).toBe('standby');
    expect(fakeB.sockets).toHaveLength(0);

    relay.cut();
    await h.until(() => fakeB.sockets.length === 1, WAIT, 'b takes over');
    // By the time b has a socket, a's socket is ended and a is not connected.
    expect(fakeA.sockets.every((s) => s.ended)).toBe(true);
    expect(a.connection(channel.id)?.socket).toBeUndefined();
    fakeB.last().open('254700000901');
    await h.until(() => b.connection(channel.id)?.status === 'connected', WAIT, 'b connected');
    expect(fakeA.sockets.filter((s) => !s.ended)).toHaveLength(0);
    await Promise.all([a.stop(), b.stop()]);
    await relay.close();
  });
});
