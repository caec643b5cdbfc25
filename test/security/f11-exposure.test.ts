/**
 * Finding 11, four exposures:
 *  - /metrics was public → with METRICS_TOKEN set it needs `Authorization: Bearer <token>`;
 *  - a client's X-Request-Id was echoed and logged as given → kept only when it matches a safe
 *    pattern, else replaced by our own id;
 *  - an unknown Twilio `To` answered 404 before the signature check (registered numbers could be
 *    enumerated) → the same 403 as a bad signature;
 *  - the web-chat visitor id worked as a password and was shown to every tenant role → the
 *    widget's credential is a secret the server never stores; staff see a derived short id that
 *    does not open the conversation.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { signedIn } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { signTwilioRequest } from '../fakes/twilio-signature.ts';
import { PUBLIC_URL } from '../helpers/harness.ts';
import { chatSocket, startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

beforeAll(async () => {
  h = await startSecurityHarness({ METRICS_TOKEN });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('finding 11: what the platform gives away', () => {
  it('/metrics answers 401 without the bearer token and 200 with it', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/aizalo_messages_total/);
  });

  it('replaces an unsafe X-Request-Id and keeps a safe one', async () => {
    const evil = await fetch(`${h.url}/api/auth/me`, { headers: { 'x-request-id': '<script>alert(1)</script> forged=1' } });
    const id = ((await evil.json()) as any).error.requestId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const long = await fetch(`${h.url}/api/auth/me`, { headers: { 'x-request-id': 'a'.repeat(65) } });
    expect(((await long.json()) as any).error.requestId).not.toBe('a'.repeat(65));
    const safe = await fetch(`${h.url}/api/auth/me`, { headers: { 'x-request-id': 'trace-42.abc_DEF' } });
    expect(((await safe.json()) as any).error.requestId).toBe('trace-42.abc_DEF');
  });

  it('an unknown To and a bad signature get the same 403 answer', async () => {
    const post = (to: string, token: string) => {
      const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+254700000005', To: to, Body: 'hi' };
      return fetch(`${h.url}/webhooks/twilio/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(token, `${PUBLIC_URL}/webhooks/twilio/sms`, params) },
        body: new URLSearchParams(params),
      });
    };
    const unknown = await post('+15559990000', 'any-token-at-all');
    const badSig = await post(t.twilioNumber, 'not-the-channel-token');
    expect([unknown.status, badSig.status]).toEqual([403, 403]);
    const strip = async (r: Response) => ({ ...((await r.json()) as any).error, requestId: undefined });
    expect(await strip(unknown)).toEqual(await strip(badSig));
  });

  it('the web-chat credential is a secret staff never see; the id they see opens nothing', async () => {
    h.groq.setReply(() => ({ text: 'Karibu!' }));
    const secret = `visitor-secret-${randomBytes(16).toString('hex')}`;
    const s = chatSocket(h, t.tenant.slug, secret);
    await h.until(() => s.frames.some((f) => f.type === 'history'));
    s.ws.send(JSON.stringify({ type: 'message', clientId: 'secret-client-0001', text: 'My booking code is 7781' }));
    await h.until(() => s.frames.some((f) => f.type === 'message'), 10_000, 'the reply');
    s.ws.close();

    const viewer = await signedIn(h, { tenantId: t.tenant.id, role: 'viewer' });
    const list = await api(h, 'GET', '/api/tenant/customers', { headers: viewer.headers });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(await h.rt.db.query(`select * from customers where tenant_id = $1`, [t.tenant.id]))).not.toContain(secret);
    const [row] = await h.rt.db.query<{ handle: string }>(`select handle from customers where tenant_id = $1 and handle like 'web:%'`, [t.tenant.id]);
    expect(row!.handle).toMatch(/^web:[A-Za-z0-9_-]{12}$/);
    const stored = JSON.stringify(await h.rt.db.query(`select * from messages where tenant_id = $1`, [t.tenant.id]));
    expect(stored).not.toContain(secret);

    // What staff see, used as the credential: another (empty) visitor, not this conversation.
    const shown = row!.handle.slice('web:'.length);
    for (const guess of [shown, row!.handle, `${shown}${shown}`]) {
      const g = chatSocket(h, t.tenant.slug, guess);
      await h.until(() => g.frames.length > 0 || g.ws.readyState > 1, 10_000, 'an answer to the guess');
      const history = g.frames.find((f) => f.type === 'history');
      expect(history?.messages ?? []).toEqual([]);
      g.ws.close();
    }
  });
});
