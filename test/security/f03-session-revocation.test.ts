/**
 * Finding 3: sessions could not be revoked — a JWT kept working after logout, after a password
 * change and after the view-as session ended. Sessions are now server-side rows named by the
 * JWT's `sid`; each of those actions (and "sign out everywhere", idle timeout, absolute expiry)
 * ends them. Other processes see a revocation within SESSION_CACHE_MS (≤ 5 s); this process at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { createPlatformUser, createTenantUser, loginAs } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { revokeUserSessions } from '../../core/services/tenancy/sessions.ts';
import { startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startSecurityHarness({ SESSION_IDLE_TIMEOUT_S: '3600' });
  t = await h.tenant();
});
afterAll(async () => h?.close());

const me = (token: string) => api(h, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
/** Revocations reach every process within SESSION_CACHE_MS ≤ 5 s: wait at most that long. */
const until401 = (token: string) => h.until(async () => (await me(token)).status === 401, 5_000, 'the session to stop working');

describe('finding 3: sessions end when they should', () => {
  it('logout ends the session: the same JWT answers 401 afterwards (cookie and Bearer)', async () => {
    const s = await loginAs(h, await createTenantUser(h, t.tenant.id, 'staff'));
    expect((await me(s.token)).status).toBe(200);
    expect((await api(h, 'POST', '/api/auth/logout', { headers: s.headers })).status).toBe(204);
    expect((await me(s.token)).status).toBe(401);
    expect((await api(h, 'GET', '/api/auth/me', { headers: s.headers })).status).toBe(401);
    const [row] = await h.rt.db.query<any>(`select revoked_at, revoked_reason from sessions where user_id = $1`, [s.user.id]);
    expect(row).toMatchObject({ revoked_reason: 'logout', revoked_at: expect.any(Date) });
  });

  it("a password change ends the user's other sessions and keeps the caller's", async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'admin');
    const thief = await loginAs(h, cred);
    const owner = await loginAs(h, cred);
    const res = await api(h, 'POST', '/api/auth/password', { headers: owner.headers, body: { currentPassword: cred.password, newPassword: 'a-brand-new-password-9' } });
    expect(res.status).toBe(204);
    await until401(thief.token);
    expect((await me(owner.token)).status).toBe(200);
  });

  it('ending view-as ends the view-as token; the owner keeps the plain session', async () => {
    const owner = await loginAs(h, await createPlatformUser(h, 'owner'));
    const start = await api(h, 'POST', `/api/admin/tenants/${t.tenant.id}/view-as`, { headers: owner.headers });
    expect(start.status).toBe(200);
    const view = { authorization: `Bearer ${start.body.token}` };
    expect((await api(h, 'GET', '/api/tenant/settings', { headers: view })).status).toBe(200);
    expect((await api(h, 'DELETE', '/api/admin/view-as', { headers: view })).status).toBe(204);
    expect((await api(h, 'GET', '/api/tenant/settings', { headers: view })).status).toBe(401);
    expect((await me(start.body.token)).status).toBe(401);
    expect((await me(owner.token)).status).toBe(200);
  });

  it('"sign out everywhere" ends every session of the user; GET /api/auth/sessions lists live ones', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'staff');
    const a = await loginAs(h, cred);
    const b = await loginAs(h, cred);
    const other = await loginAs(h, await createTenantUser(h, t.tenant.id, 'staff'));
    const list = await api(h, 'GET', '/api/auth/sessions', { headers: a.headers });
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: any) => s.current)).toHaveLength(1);
    expect((await api(h, 'POST', '/api/auth/sessions/revoke-all', { headers: b.headers })).status).toBe(204);
    expect((await me(a.token)).status).toBe(401);
    expect((await me(b.token)).status).toBe(401);
    expect((await me(other.token)).status).toBe(200); // someone else's session is untouched
    // One's own session by id; another user's → 404.
    const c = await loginAs(h, cred);
    const [otherSid] = (await api(h, 'GET', '/api/auth/sessions', { headers: other.headers })).body.sessions.map((s: any) => s.id);
    expect((await api(h, 'DELETE', `/api/auth/sessions/${otherSid}`, { headers: c.headers })).status).toBe(404);
    expect((await me(other.token)).status).toBe(200);
  });

  it('revokeUserSessions (role change, deactivation, reset) ends them within 5 s', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'staff');
    const s = await loginAs(h, cred);
    expect((await me(s.token)).status).toBe(200); // now cached in the gateway
    const ids = await revokeUserSessions(h.rt.db, { userId: cred.id, kind: 'tenant', reason: 'deactivated' });
    expect(ids).toHaveLength(1);
    await until401(s.token);
  });

  it('idle timeout and absolute expiry end sessions; a JWT without a session id is refused', async () => {
    const s = await loginAs(h, await createTenantUser(h, t.tenant.id, 'viewer'));
    await h.rt.db.query(`update sessions set last_seen_at = now() - interval '2 hours' where user_id = $1`, [s.user.id]);
    await until401(s.token);
    const s2 = await loginAs(h, await createTenantUser(h, t.tenant.id, 'viewer'));
    await h.rt.db.query(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [s2.user.id]);
    await until401(s2.token);
    // A validly signed JWT of the old shape (no sid) — what every session looked like before.
    const key = createHmac('sha256', h.rt.cfg.secretKey).update('aizalo-session-jwt').digest('hex');
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: s.user.id, userType: 'tenant', role: 'owner', tenantId: t.tenant.id, iat: Math.floor(Date.now() / 1000) })}`;
    const legacy = `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    expect((await me(legacy)).status).toBe(401);
  });

  it('sets the session cookie SameSite=Strict and HttpOnly', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'staff');
    const res = await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: cred.email, password: cred.password, tenant: cred.tenant }) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('aizalo_session='))!;
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });
});
