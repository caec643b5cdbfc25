/**
 * WhatsApp linking through the tenant API on the full runtime (real PostgreSQL + Redis) with fake
 * Baileys sockets: the list shows each channel's status; the fake's `connection.update {qr}`
 * becomes a server-rendered QR; a pairing code comes from the socket's requestPairingCode;
 * 'open' → connected; 401 → logged_out and linking can start anew. Security: another tenant's
 * channel → 404 (whatever the body), malformed → 400, a viewer may read statuses but not link
 * (403) and does not get QR payloads on the event stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { qrDataUrl } from '../../gateway/routes/tenant/channel-link-state.ts';
import { createFakeBaileys } from '../fakes/fake-baileys-socket.ts';
import { api } from '../helpers/api.ts';
import { signedIn, type Session } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

const fake = createFakeBaileys();
let h: Harness;
let A: TestTenant;
let B: TestTenant;
let admin: Session;
let viewer: Session;
let ownerB: Session;
let wa: string;
const link = (id: string, s: Session = admin) => api(h, 'GET', `/api/tenant/channels/${id}/link`, { headers: s.headers });
const statusOf = async (id: string, s: Session = admin) => (await link(id, s)).body?.status as string | undefined;

/** Read an SSE stream until `done(text)` or `ms` pass; returns what arrived. */
async function readEvents(s: Session, act: () => Promise<void>, done: (text: string) => boolean, ms = 1500): Promise<string> {
  const ctl = new AbortController();
  const res = await fetch(`${h.url}/api/tenant/events`, { headers: s.headers, signal: ctl.signal });
  const reader = res.body!.getReader();
  let text = '';
  const timer = setTimeout(() => ctl.abort(), ms);
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        text += new TextDecoder().decode(value);
        if (text.includes(': connected') && done(text)) return ctl.abort();
      }
    } catch {
      /* aborted */
    }
  })();
  await h.until(() => text.includes(': connected'), 5000, 'event stream open');
  await act();
  await reading;
  clearTimeout(timer);
  return text;
}

beforeAll(async () => {
  h = await startHarness({ runtime: { whatsapp: { factory: fake.factory, rescanMs: 0, standbyRetryMs: 50, backoff: { baseMs: 20, capMs: 60 } } } });
  [A, B] = [await h.tenant(), await h.tenant()];
  wa = (await createChannel(h.rt.db, h.rt.box, { tenantId: A.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700200001' })).channel.id;
  [admin, viewer, ownerB] = await Promise.all([
    signedIn(h, { tenantId: A.tenant.id, role: 'admin' }),
    signedIn(h, { tenantId: A.tenant.id, role: 'viewer' }),
    signedIn(h, { tenantId: B.tenant.id, role: 'owner' }),
  ]);
});
afterAll(async () => h?.close());

describe('WhatsApp linking API', () => {
  it('lists the tenant’s channels with statuses (no credentials), readable by a viewer', async () => {
    const res = await api(h, 'GET', '/api/tenant/channels', { headers: viewer.headers });
    expect(res.status).toBe(200);
    expect(res.body.channels.map((c: { address: string }) => c.address)).toEqual(expect.arrayContaining([A.atCode, A.twilioNumber, '+254700200001']));
    expect(res.body.channels.find((c: { id: string }) => c.id === wa)).toMatchObject({ type: 'whatsapp', provider: 'baileys', link: { status: 'idle' } });
    expect(JSON.stringify(res.body)).not.toMatch(/credentials|webhookToken|authToken/i);
    const other = await api(h, 'GET', '/api/tenant/channels', { headers: ownerB.headers });
    expect(other.body.channels.map((c: { id: string }) => c.id)).not.toContain(wa);
  });

  it('a QR from the socket becomes status linking + a server-rendered SVG, refreshed when WhatsApp rotates it', async () => {
    const started = await api(h, 'POST', `/api/tenant/channels/${wa}/link`, { headers: admin.headers });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('linking');
    fake.last().qr('2@first-qr-ref,key1,key2,adv');
    await h.until(async () => (await link(wa)).body.qr, 5000, 'qr exposed');
    const first = (await link(wa)).body;
    expect(first).toMatchObject({ status: 'linking', updatedAt: expect.any(String) });
    expect(first.qr).toBe(await qrDataUrl('2@first-qr-ref,key1,key2,adv'));
    expect(Buffer.from(first.qr.split(',')[1], 'base64').toString()).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    fake.last().qr('2@second-qr-ref,key1,key2,adv');
    await h.until(async () => (await link(wa)).body.qr === (await qrDataUrl('2@second-qr-ref,key1,key2,adv')), 5000, 'rotated qr');
    const listed = await api(h, 'GET', '/api/tenant/channels', { headers: viewer.headers });
    expect(listed.body.channels.find((c: { id: string }) => c.id === wa).link.status).toBe('linking');
  });

  it('a pairing code for a phone number comes from the socket (and is audited)', async () => {
    const res = await api(h, 'POST', `/api/tenant/channels/${wa}/pairing-code`, { headers: admin.headers, body: { phone: '+254712345678' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'linking', pairingCode: 'ABCD1234' });
    expect((await link(wa)).body.pairingCode).toBe('ABCD1234');
    const audits = await h.rt.db.query<{ action: string; data: { method: string } }>(`select action, data from audit_log where target = $1 order by created_at`, [wa]);
    expect(audits.map((a) => a.data.method)).toEqual(['qr', 'pairing_code']);
  });

  it('rejects malformed input with 400 and links nothing', async () => {
    for (const phone of ['abc', '0712', '+0712345678', '']) {
      const res = await api(h, 'POST', `/api/tenant/channels/${wa}/pairing-code`, { headers: admin.headers, body: { phone } });
      expect(res.status, phone).toBe(400);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expect((await api(h, 'GET', '/api/tenant/channels/not-a-uuid/link', { headers: admin.headers })).status).toBe(400);
    expect((await api(h, 'GET', '/api/tenant/channels/00000000-0000-4000-8000-000000000000/link', { headers: admin.headers })).status).toBe(404);
  });

  it('another tenant’s channel id answers 404 on every link route, whatever the body', async () => {
    const before = fake.sockets.length;
    const h404 = { headers: ownerB.headers };
    expect((await api(h, 'GET', `/api/tenant/channels/${wa}/link`, h404)).status).toBe(404);
    expect((await api(h, 'POST', `/api/tenant/channels/${wa}/link`, h404)).status).toBe(404);
    for (const body of [{ phone: '+254712345678' }, {}]) {
      const res = await api(h, 'POST', `/api/tenant/channels/${wa}/pairing-code`, { ...h404, body });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(A.tenant.id);
    }
    expect(fake.sockets.length).toBe(before);
  });

  it('a viewer sees statuses but may not link (403) and gets no QR payloads on the event stream', async () => {
    expect((await link(wa, viewer)).status).toBe(403);
    expect((await api(h, 'POST', `/api/tenant/channels/${wa}/link`, { headers: viewer.headers })).status).toBe(403);
    expect((await api(h, 'POST', `/api/tenant/channels/${wa}/pairing-code`, { headers: viewer.headers, body: { phone: '+254712345678' } })).status).toBe(403);
    const emit = async () => fake.last().qr('2@secret-qr-ref,k,k,adv');
    const adminSaw = await readEvents(admin, emit, (t) => t.includes('secret-qr-ref'));
    expect(adminSaw).toContain('event: whatsappqr');
    const viewerSaw = await readEvents(viewer, async () => {
      await emit();
      await h.rt.bus.publish(`tenant:${A.tenant.id}`, { type: 'needs_attention', conversationId: A.tenant.id, reason: 'after-qr' });
    }, (t) => t.includes('after-qr'));
    expect(viewerSaw).toContain('after-qr');
    expect(viewerSaw).not.toContain('secret-qr-ref');
  });

  it('an SMS channel is not linked here (409)', async () => {
    const sms = (await api(h, 'GET', '/api/tenant/channels', { headers: admin.headers })).body.channels.find((c: { type: string }) => c.type === 'sms');
    const res = await link(sms.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_whatsapp');
  });

  it("'open' → connected (QR and code gone); 401 → logged_out; linking can start anew", async () => {
    fake.last().open();
    await h.until(async () => (await statusOf(wa)) === 'connected', 5000, 'connected');
    const connected = (await link(wa)).body;
    expect(connected.qr).toBeUndefined();
    expect(connected.pairingCode).toBeUndefined();
    const again = await api(h, 'POST', `/api/tenant/channels/${wa}/pairing-code`, { headers: admin.headers, body: { phone: '+254712345678' } });
    expect(again.status).toBe(409);
    fake.last().close(401);
    await h.until(async () => (await statusOf(wa)) === 'logged_out', 5000, 'logged out');
    const listed = await api(h, 'GET', '/api/tenant/channels', { headers: viewer.headers });
    expect(listed.body.channels.find((c: { id: string }) => c.id === wa).link).toMatchObject({ status: 'logged_out', reason: 'logged_out' });
    const relink = await api(h, 'POST', `/api/tenant/channels/${wa}/link`, { headers: admin.headers });
    expect(relink.body.status).toBe('linking');
    fake.last().qr('2@after-logout,k,k,adv');
    await h.until(async () => (await link(wa)).body.qr, 5000, 'new qr after logout');
  });
});
