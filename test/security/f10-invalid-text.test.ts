/**
 * Finding 10: `?q=%00` on the customer and tenant searches answered 500 (PostgreSQL cannot hold
 * NUL in text). Now NUL, lone surrogates and noncharacters in any text input (query, params,
 * JSON body, form body, web-chat frame) answer 400 `invalid_characters` before any handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { signedIn } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { chatSocket, startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startSecurityHarness();
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('finding 10: invalid code points are a 400, never a 500', () => {
  it('?q=%00 on the customer and tenant searches answers 400', async () => {
    const owner = await signedIn(h, { tenantId: t.tenant.id, role: 'owner' });
    const admin = await signedIn(h, { platformRole: 'admin' });
    for (const [path, s] of [
      ['/api/tenant/customers?q=%00', owner],
      ['/api/tenant/customers?q=ab%00cd', owner],
      ['/api/admin/tenants?q=%00', admin],
    ] as const) {
      const res = await api(h, 'GET', path, { headers: s.headers });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'invalid_characters', requestId: expect.any(String) });
    }
    expect((await api(h, 'GET', '/api/tenant/customers?q=Otieno', { headers: owner.headers })).status).toBe(200);
  });

  it('NUL or a lone surrogate in a JSON body answers 400 and writes nothing', async () => {
    const owner = await signedIn(h, { tenantId: t.tenant.id, role: 'owner' });
    for (const raw of ['{"name":"Hotel\\u0000X"}', '{"name":"Hotel \\ud800"}', '{"na\\u0000me":"Hotel"}']) {
      const res = await fetch(`${h.url}/api/tenant/settings`, { method: 'PATCH', headers: { ...owner.headers, 'content-type': 'application/json' }, body: raw });
      expect(res.status, raw).toBe(400);
    }
    const [row] = await h.rt.db.query<{ name: string }>(`select name from tenants where id = $1`, [t.tenant.id]);
    expect(row!.name).toBe(t.tenant.name);
  });

  it('a signed SMS with NUL in its body answers 400 and stores nothing; a web-chat frame gets an error frame', async () => {
    expect((await h.twilioSms(t, '+254700000010', 'hi\u0000there')).status).toBe(400);
    const s = chatSocket(h, t.tenant.slug, 'nul-visitor-secret-000001');
    await h.until(() => s.frames.some((f) => f.type === 'history'));
    s.ws.send(JSON.stringify({ type: 'message', clientId: 'nul-client-0001', text: 'a\u0000b' }));
    await h.until(() => s.frames.some((f) => f.type === 'error'), 10_000, 'an error frame');
    s.ws.close();
    await h.settled();
    expect(await h.rt.db.query(`select 1 from messages where tenant_id = $1`, [t.tenant.id])).toHaveLength(0);
  });
});
