/**
 * Sign-in flows over HTTP on the real runtime: tenant and platform logins, cookie and Bearer
 * sessions, logout, password change, suspended tenants, audit entries and login rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createPlatformUser, createTenantUser, loginAs } from '../helpers/auth.ts';

let h: Harness;
let t: TestTenant;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { headers });
const auditRows = (action: string, target: string) =>
  h.rt.db.query<Record<string, any>>('select * from audit_log where action = $1 and target = $2 order by id', [action, target]);

beforeAll(async () => {
  // A long first backoff keeps the lockout in place for the whole test however slow the machine.
  h = await startHarness({ env: { LOGIN_FREE_FAILURES: '5', LOGIN_BACKOFF_BASE_MS: '600000', RATE_LIMIT_LOGIN_PER_IP: '40' } });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('tenant login', () => {
  it('signs a tenant user in with an httpOnly cookie, answers /me, and audits the login', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'staff');
    const res = await post('/api/auth/login', { email: cred.email.toUpperCase(), password: cred.password, tenant: cred.tenant });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('aizalo_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const body = (await res.json()) as any;
    expect(body.user).toMatchObject({ id: cred.id, userType: 'tenant', role: 'staff', tenantId: t.tenant.id });
    const me = await get('/api/auth/me', { cookie: setCookie.split(';')[0]! });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).tenant).toEqual({ id: t.tenant.id, role: 'staff', viewAs: false });
    const bearer = await get('/api/auth/me', { authorization: `Bearer ${body.token}` });
    expect(bearer.status).toBe(200);
    const rows = await auditRows('auth.login', cred.email);
    expect(rows).toEqual([expect.objectContaining({ tenant_id: t.tenant.id, actor_type: 'tenant_user', actor_id: cred.id })]);
  });

  it('rejects a wrong password, an unknown email and a wrong tenant with the same 401, each audited', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'viewer');
    const other = await h.tenant();
    for (const body of [
      { email: cred.email, password: 'wrong-password', tenant: cred.tenant },
      { email: `nobody-${cred.email}`, password: cred.password, tenant: cred.tenant },
      { email: cred.email, password: cred.password, tenant: other.tenant.slug },
      { email: cred.email, password: cred.password, tenant: 'no-such-tenant' },
      { email: cred.email, password: cred.password }, // a tenant user is not a platform user
    ]) {
      const res = await post('/api/auth/login', body);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('invalid_credentials');
    }
    expect((await auditRows('auth.login_failed', cred.email)).length).toBe(4);
    expect(await auditRows('auth.login', cred.email)).toEqual([]);
  });

  it("refuses a suspended tenant's users with 403 and a clear message, and cuts live sessions", async () => {
    const s = await h.tenant();
    const cred = await createTenantUser(h, s.tenant.id, 'owner');
    const session = await loginAs(h, cred);
    await h.rt.db.query(`update tenants set status = 'suspended' where id = $1`, [s.tenant.id]);
    const res = await post('/api/auth/login', { email: cred.email, password: cred.password, tenant: cred.tenant });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'tenant_suspended', message: expect.stringMatching(/suspended/) });
    expect((await get('/api/auth/me', session.headers)).status).toBe(403);
    expect(await auditRows('auth.login_failed', cred.email)).toEqual([expect.objectContaining({ data: expect.objectContaining({ reason: 'tenant_suspended' }) })]);
  });

  it('rejects malformed bodies with 400 and writes nothing', async () => {
    expect((await post('/api/auth/login', { email: 'a@b.c' })).status).toBe(400);
    expect((await post('/api/auth/login', { email: 'ab', password: 'x' })).status).toBe(400);
    expect((await post('/api/auth/login', { password: 'x', tenant: t.tenant.slug })).status).toBe(400);
    expect(await auditRows('auth.login_failed', 'ab')).toEqual([]);
  });
});

describe('platform login, logout, password', () => {
  it('signs a platform user in without a tenant and out again', async () => {
    const cred = await createPlatformUser(h, 'support');
    const s = await loginAs(h, cred);
    expect(s.user).toMatchObject({ userType: 'platform', role: 'support' });
    const me = (await (await get('/api/auth/me', s.headers)).json()) as any;
    expect(me.user).toMatchObject({ id: cred.id, email: cred.email });
    expect(me.tenant).toBeUndefined();
    const out = await post('/api/auth/logout', {}, s.headers);
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/aizalo_session=;/);
    expect(await auditRows('auth.login', cred.email)).toHaveLength(1);
  });

  it('answers 401 without a session or with a forged token', async () => {
    expect((await get('/api/auth/me')).status).toBe(401);
    expect((await get('/api/auth/me', { cookie: 'aizalo_session=not.a.jwt' })).status).toBe(401);
    const forged = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') + '.' + Buffer.from(JSON.stringify({ sub: 'x', userType: 'platform', role: 'owner' })).toString('base64url') + '.';
    expect((await get('/api/auth/me', { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('changes a password only with the current one; the old one stops working', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'admin');
    const s = await loginAs(h, cred);
    expect((await post('/api/auth/password', { currentPassword: 'nope-nope', newPassword: 'a-new-password-1' }, s.headers)).status).toBe(403);
    expect((await post('/api/auth/password', { currentPassword: cred.password, newPassword: 'short' }, s.headers)).status).toBe(400);
    expect((await post('/api/auth/password', { currentPassword: cred.password, newPassword: 'a-new-password-1' })).status).toBe(401);
    expect((await post('/api/auth/password', { currentPassword: cred.password, newPassword: 'a-new-password-1' }, s.headers)).status).toBe(204);
    await expect(loginAs(h, cred)).rejects.toThrow(/401/);
    await loginAs(h, { ...cred, password: 'a-new-password-1' });
    const rows = await h.rt.db.query<any>(`select action from audit_log where actor_id = $1 and action like 'auth.password%' order by id`, [cred.id]);
    expect(rows.map((r) => r.action)).toEqual(['auth.password_change_failed', 'auth.password_change']);
  });
});

describe('login rate limits', () => {
  it('answers 429 with Retry-After after too many failures on one account from one address, and audits it', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post('/api/auth/login', { email: cred.email, password: `guess-${i}`, tenant: cred.tenant })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const res = await post('/api/auth/login', { email: cred.email, password: cred.password, tenant: cred.tenant });
    expect(res.status).toBe(429); // even the right password from this address, until the backoff ends
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as any).error.code).toBe('rate_limited');
    const rows = await auditRows('auth.rate_limited', cred.email);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.data).toMatchObject({ by: 'account_address', tenant: cred.tenant });
  });
});
