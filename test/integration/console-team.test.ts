/**
 * Team API (console contract "Team") against a real runtime: PostgreSQL, Redis, and invite mail
 * through a real SMTP server (test/helpers/smtp-sink.ts). Per route: the happy path, input errors
 * (400/404/409), and security (401 signed out, 403 wrong role, 404 for another tenant's ids); the
 * rules of core/services/tenancy/team.ts (owner protection, last owner, self); audit entries; and
 * that the invite link works once and lets the new member sign in with the business slug.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createTenantUser, loginAs, signedIn, type Session } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { conversationOf } from '../helpers/handoff.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

let h: Harness;
let sink: SmtpSink;
let A: TestTenant;
let B: TestTenant;
let owner: Session & { cred: { id: string; email: string; password: string; tenant?: string } };
let admin: Awaited<ReturnType<typeof signedIn>>;
let staff: Awaited<ReturnType<typeof signedIn>>;
let viewer: Awaited<ReturnType<typeof signedIn>>;

const linkIn = (text: string) => /https:\/\/aizalo\.test\/app\/invite\?token=([^&\s]+)&tenant=([a-z0-9-]+)/.exec(text);
let n = 0;
const email = () => `member-${Date.now().toString(36)}-${++n}@team.test`;

async function auditActions(tenantId: string, target: string): Promise<string[]> {
  const rows = await h.rt.db.query<{ action: string }>(`select action from audit_log where tenant_id = $1 and target = $2 order by id`, [tenantId, target]);
  return rows.map((r) => r.action);
}

/** Invite through the API and return the new member and the token from the email. */
async function invite(by: Session, body: Record<string, unknown>): Promise<{ user: any; token: string; slug: string }> {
  const since = sink.messages.length;
  const res = await api(h, 'POST', '/api/tenant/users', { headers: by.headers, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const mail = await sink.waitFor(String(body.email), { since });
  const m = linkIn(mail.text)!;
  expect(m, mail.text).toBeTruthy();
  return { user: res.body.user, token: decodeURIComponent(m[1]!), slug: m[2]! };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  h = await startHarness({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Aizalo Test <team@aizalo.test>' } });
  [A, B] = [await h.tenant({ name: 'Acacia Salon' }), await h.tenant()];
  owner = await signedIn(h, { tenantId: A.tenant.id, role: 'owner' });
  admin = await signedIn(h, { tenantId: A.tenant.id, role: 'admin' });
  staff = await signedIn(h, { tenantId: A.tenant.id, role: 'staff' });
  viewer = await signedIn(h, { tenantId: A.tenant.id, role: 'viewer' });
});
afterAll(async () => {
  await h?.close();
  await sink?.close();
});

describe('POST /api/tenant/users (invite)', () => {
  it('creates an invited member, mails a one-time link that names the business, and the member signs in after accepting', async () => {
    const address = email();
    const { user, token, slug } = await invite(admin, { email: address.toUpperCase(), role: 'staff', name: 'Wanjiru', phone: '+254712000111' });
    expect(user).toMatchObject({ email: address, role: 'staff', status: 'invited', name: 'Wanjiru', phone: '+254712000111' });
    expect(slug).toBe(A.tenant.slug);
    const mail = sink.messages.at(-1)!;
    expect(mail.subject).toContain('Acacia Salon');
    expect(mail.from).toBe('team@aizalo.test');

    // Not yet accepted: no sign-in, whatever the password.
    const early = await api(h, 'POST', '/api/auth/login', { body: { email: address, password: 'anything-at-all', tenant: slug } });
    expect(early.status).toBe(401);

    const preview = await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(token)}`);
    expect(preview).toMatchObject({ status: 200, body: { email: address, tenant: { slug: A.tenant.slug, name: 'Acacia Salon' } } });

    const accepted = await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'wanjiru-new-password' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ user: { id: user.id, role: 'staff', tenantId: A.tenant.id }, tenant: { slug: A.tenant.slug } });
    const cookie = accepted.headers.getSetCookie().find((c) => c.startsWith('aizalo_session='))!.split(';')[0]!;
    const me = await api(h, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(me).toMatchObject({ status: 200, body: { user: { id: user.id, email: address } } });

    // The link works once.
    const again = await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'someone-elses-password' } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_invite' } } });
    expect((await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(token)}`)).status).toBe(400);

    await loginAs(h, { email: address, password: 'wanjiru-new-password', tenant: A.tenant.slug });
    const list = await api(h, 'GET', '/api/tenant/users?limit=200', { headers: owner.headers });
    expect(list.body.items.find((u: any) => u.id === user.id)).toMatchObject({ status: 'active' });
    expect(await auditActions(A.tenant.id, user.id)).toEqual(['user.invite', 'user.invite_accept']);
  });

  it('answers 409 for an email already on the team (any case) and writes nothing', async () => {
    const before = (await api(h, 'GET', '/api/tenant/users?limit=200', { headers: owner.headers })).body.items.length;
    const res = await api(h, 'POST', '/api/tenant/users', { headers: owner.headers, body: { email: staff.cred.email.toUpperCase(), role: 'viewer' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'already_member' } } });
    expect((await api(h, 'GET', '/api/tenant/users?limit=200', { headers: owner.headers })).body.items.length).toBe(before);
  });

  it.each([
    ['a bad email', { email: 'not-an-email', role: 'staff' }],
    ['the owner role', { email: 'x@team.test', role: 'owner' }],
    ['an unknown role', { email: 'x@team.test', role: 'boss' }],
    ['a phone that is not E.164', { email: 'x@team.test', role: 'staff', phone: '0712 000 111' }],
  ])('answers 400 for %s', async (_what, body) => {
    const res = await api(h, 'POST', '/api/tenant/users', { headers: owner.headers, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
  });

  it('is for owners and admins only (401 signed out, 403 staff and viewer)', async () => {
    const body = { email: email(), role: 'viewer' };
    expect((await api(h, 'POST', '/api/tenant/users', { body })).status).toBe(401);
    for (const s of [staff, viewer]) expect((await api(h, 'POST', '/api/tenant/users', { headers: s.headers, body })).status).toBe(403);
  });
});

describe('invite by phone', () => {
  it('also texts the invite link from the platform number when one is set up', async () => {
    const sid = `AC${randomBytes(16).toString('hex')}`;
    const token = randomBytes(16).toString('hex');
    h.twilio.addAccount(sid, token);
    const number = `+1555${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    await createChannel(h.rt.db, h.rt.box, { tenantId: null, type: 'sms', provider: 'twilio', address: number, credentials: { accountSid: sid, authToken: token } });
    const phone = '+254733000222';
    const { token: emailed } = await invite(owner, { email: email(), role: 'staff', phone });
    const sms = (await h.until(() => h.twilio.messages.find((m) => m.to === phone), 10_000, 'the invite SMS'))!;
    expect(sms).toMatchObject({ from: number, accountSid: sid });
    expect(sms.body).toContain('Acacia Salon');
    expect(sms.body).toContain(`/app/invite?token=${encodeURIComponent(emailed)}&tenant=${A.tenant.slug}`);
  });
});

describe('GET /api/tenant/users', () => {
  it('lists only this tenant, oldest first, paginated with a cursor', async () => {
    await createTenantUser(h, B.tenant.id, 'admin', { email: `b-only-${n}@team.test` });
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(h, 'GET', `/api/tenant/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers: viewer.headers });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((u) => u.id)).toContain(owner.cred.id);
    expect(new Set(seen.map((u) => u.id)).size).toBe(seen.length);
    expect(seen.some((u) => u.email.startsWith('b-only-'))).toBe(false);
    expect(seen.map((u) => u.createdAt)).toEqual([...seen.map((u) => u.createdAt)].sort());
    expect(Object.keys(seen[0]).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'phone', 'role', 'status']);
  });

  it('answers 401 signed out and 400 for a bad cursor or limit', async () => {
    expect((await api(h, 'GET', '/api/tenant/users')).status).toBe(401);
    expect((await api(h, 'GET', '/api/tenant/users?cursor=garbage', { headers: owner.headers })).status).toBe(400);
    expect((await api(h, 'GET', '/api/tenant/users?limit=500', { headers: owner.headers })).status).toBe(400);
  });
});

describe('PATCH /api/tenant/users/:id', () => {
  it('changes a role and deactivates: the deactivated member cannot sign in; reactivation restores it', async () => {
    const m = await createTenantUser(h, A.tenant.id, 'viewer');
    const up = await api(h, 'PATCH', `/api/tenant/users/${m.id}`, { headers: admin.headers, body: { role: 'staff' } });
    expect(up).toMatchObject({ status: 200, body: { user: { id: m.id, role: 'staff', status: 'active' } } });
    const live = await loginAs(h, m);
    expect((await api(h, 'GET', '/api/auth/me', { headers: live.headers })).status).toBe(200);

    const off = await api(h, 'PATCH', `/api/tenant/users/${m.id}`, { headers: admin.headers, body: { active: false } });
    expect(off.body.user.status).toBe('deactivated');
    // The deactivated member's session ends at once.
    expect((await api(h, 'GET', '/api/auth/me', { headers: live.headers })).status).toBe(401);
    const denied = await api(h, 'POST', '/api/auth/login', { body: { email: m.email, password: m.password, tenant: m.tenant } });
    expect(denied).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });

    const on = await api(h, 'PATCH', `/api/tenant/users/${m.id}`, { headers: admin.headers, body: { active: true } });
    expect(on.body.user.status).toBe('active');
    await loginAs(h, m);
    expect(await auditActions(A.tenant.id, m.id)).toEqual(['user.role_change', 'user.deactivate', 'user.reactivate']);
  });

  it('a deactivated or invited member is not offered for, nor accepted as, a conversation assignee', async () => {
    const m = await createTenantUser(h, A.tenant.id, 'staff');
    expect((await api(h, 'DELETE', `/api/tenant/users/${m.id}`, { headers: owner.headers })).status).toBe(204);
    const pending = (await invite(owner, { email: email(), role: 'staff' })).user;
    await h.twilioSms(A, '+254722555001', 'Hello, do you do braids?');
    const conv = await conversationOf(h, A.tenant.id, '+254722555001');
    for (const id of [m.id, pending.id]) {
      const r = await api(h, 'POST', `/api/tenant/conversations/${conv.id}/assign`, { headers: owner.headers, body: { userId: id } });
      expect(r).toMatchObject({ status: 400, body: { error: { code: 'invalid_assignee' } } });
    }
    const ok = await api(h, 'POST', `/api/tenant/conversations/${conv.id}/assign`, { headers: owner.headers, body: { userId: staff.cred.id } });
    expect(ok.status).toBe(200);
    await h.settled();
  });

  it('keeps the owner safe: an admin cannot touch an owner; nobody demotes or deactivates the last owner; nobody deactivates themselves', async () => {
    const r1 = await api(h, 'PATCH', `/api/tenant/users/${owner.cred.id}`, { headers: admin.headers, body: { role: 'viewer' } });
    expect(r1).toMatchObject({ status: 403, body: { error: { code: 'owner_protected' } } });
    const r2 = await api(h, 'PATCH', `/api/tenant/users/${owner.cred.id}`, { headers: owner.headers, body: { role: 'admin' } });
    expect(r2).toMatchObject({ status: 409, body: { error: { code: 'last_owner' } } });
    const r3 = await api(h, 'PATCH', `/api/tenant/users/${admin.cred.id}`, { headers: admin.headers, body: { active: false } });
    expect(r3).toMatchObject({ status: 409, body: { error: { code: 'self_action' } } });
    expect((await api(h, 'DELETE', `/api/tenant/users/${owner.cred.id}`, { headers: admin.headers })).status).toBe(403);
    const list = await api(h, 'GET', '/api/tenant/users?limit=200', { headers: owner.headers });
    expect(list.body.items.find((u: any) => u.id === owner.cred.id)).toMatchObject({ role: 'owner', status: 'active' });
  });

  it('answers 400 for a bad body, 404 for unknown and other-tenant ids, 403 for staff, 401 signed out', async () => {
    const bOwner = await createTenantUser(h, B.tenant.id, 'staff');
    expect((await api(h, 'PATCH', `/api/tenant/users/${staff.cred.id}`, { headers: owner.headers, body: { role: 'owner' } })).status).toBe(400);
    expect((await api(h, 'PATCH', `/api/tenant/users/${staff.cred.id}`, { headers: owner.headers, body: { active: 'no' } })).status).toBe(400);
    expect((await api(h, 'PATCH', `/api/tenant/users/00000000-0000-4000-8000-000000000000`, { headers: owner.headers, body: { role: 'staff' } })).status).toBe(404);
    const cross = await api(h, 'PATCH', `/api/tenant/users/${bOwner.id}`, { headers: owner.headers, body: { active: false } });
    expect(cross.status).toBe(404);
    await loginAs(h, bOwner); // untouched
    expect((await api(h, 'PATCH', `/api/tenant/users/${viewer.cred.id}`, { headers: staff.headers, body: { role: 'staff' } })).status).toBe(403);
    expect((await api(h, 'PATCH', `/api/tenant/users/${viewer.cred.id}`, { body: { role: 'staff' } })).status).toBe(401);
  });
});

describe('DELETE /api/tenant/users/:id and POST /api/tenant/users/:id/resend-invite', () => {
  it('resend mails a new link and kills the old one; revoking kills the newest; the email can be invited again', async () => {
    const address = email();
    const first = await invite(owner, { email: address, role: 'viewer' });
    const since = sink.messages.length;
    const resent = await api(h, 'POST', `/api/tenant/users/${first.user.id}/resend-invite`, { headers: admin.headers });
    expect(resent).toMatchObject({ status: 202, body: { user: { id: first.user.id, status: 'invited' } } });
    const second = decodeURIComponent(linkIn((await sink.waitFor(address, { since })).text)![1]!);
    expect(second).not.toBe(first.token);
    expect((await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(first.token)}`)).status).toBe(400);
    expect((await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(second)}`)).status).toBe(200);

    expect((await api(h, 'DELETE', `/api/tenant/users/${first.user.id}`, { headers: admin.headers })).status).toBe(204);
    const accept = await api(h, 'POST', '/api/auth/invite/accept', { body: { token: second, password: 'too-late-password' } });
    expect(accept).toMatchObject({ status: 400, body: { error: { code: 'invalid_invite' } } });
    const list = await api(h, 'GET', '/api/tenant/users?limit=200', { headers: owner.headers });
    expect(list.body.items.some((u: any) => u.email === address)).toBe(false);
    expect(await auditActions(A.tenant.id, first.user.id)).toEqual(['user.invite', 'user.invite_resend', 'user.invite_revoke']);
    await invite(owner, { email: address, role: 'viewer' });
  });

  it('DELETE of an active member deactivates (204) and the member cannot sign in', async () => {
    const m = await createTenantUser(h, A.tenant.id, 'staff');
    expect((await api(h, 'DELETE', `/api/tenant/users/${m.id}`, { headers: owner.headers })).status).toBe(204);
    expect((await api(h, 'POST', '/api/auth/login', { body: { email: m.email, password: m.password, tenant: m.tenant } })).status).toBe(401);
    expect((await api(h, 'DELETE', `/api/tenant/users/${m.id}`, { headers: owner.headers })).status).toBe(204);
  });

  it('answers 409 when resending to a member who accepted, 404 for other tenants, 403 for staff/viewer, 401 signed out', async () => {
    const r = await api(h, 'POST', `/api/tenant/users/${staff.cred.id}/resend-invite`, { headers: owner.headers });
    expect(r).toMatchObject({ status: 409, body: { error: { code: 'not_invited' } } });
    const bUser = await createTenantUser(h, B.tenant.id, 'viewer');
    expect((await api(h, 'POST', `/api/tenant/users/${bUser.id}/resend-invite`, { headers: owner.headers })).status).toBe(404);
    expect((await api(h, 'DELETE', `/api/tenant/users/${bUser.id}`, { headers: owner.headers })).status).toBe(404);
    await loginAs(h, bUser);
    for (const s of [staff, viewer]) {
      expect((await api(h, 'DELETE', `/api/tenant/users/${viewer.cred.id}`, { headers: s.headers })).status).toBe(403);
      expect((await api(h, 'POST', `/api/tenant/users/${viewer.cred.id}/resend-invite`, { headers: s.headers })).status).toBe(403);
    }
    expect((await api(h, 'DELETE', `/api/tenant/users/${viewer.cred.id}`)).status).toBe(401);
    expect((await api(h, 'POST', `/api/tenant/users/${viewer.cred.id}/resend-invite`)).status).toBe(401);
    await loginAs(h, viewer.cred);
  });
});

describe('OpenAPI', () => {
  it('documents the team and recovery routes with request and response schemas', async () => {
    const doc = (await api(h, 'GET', '/docs/openapi.json')).body;
    for (const [path, method, ok] of [
      ['/api/tenant/users', 'get', '200'],
      ['/api/tenant/users', 'post', '201'],
      ['/api/tenant/users/{id}', 'patch', '200'],
      ['/api/tenant/users/{id}', 'delete', '204'],
      ['/api/tenant/users/{id}/resend-invite', 'post', '202'],
      ['/api/tenant/owner-transfer', 'post', '200'],
      ['/api/auth/invite', 'get', '200'],
      ['/api/auth/invite/accept', 'post', '200'],
      ['/api/auth/password-reset', 'post', '202'],
      ['/api/auth/password-reset/confirm', 'post', '204'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeTruthy();
      expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining([ok, '4XX']));
    }
  });
});

describe('POST /api/tenant/owner-transfer', () => {
  it('is owner only, goes to an active member, and makes the old owner an admin', async () => {
    const t = await h.tenant({ name: 'Transfer Hotel' });
    const o = await signedIn(h, { tenantId: t.tenant.id, role: 'owner' });
    const a = await signedIn(h, { tenantId: t.tenant.id, role: 'admin' });
    const pending = (await invite(o, { email: email(), role: 'staff' })).user;
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { headers: a.headers, body: { userId: a.cred.id } })).status).toBe(403);
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { headers: o.headers, body: { userId: pending.id } })).body.error.code).toBe('not_active');
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { headers: o.headers, body: { userId: o.cred.id } })).status).toBe(409);
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { headers: o.headers, body: { userId: staff.cred.id } })).status).toBe(404);
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { headers: o.headers, body: {} })).status).toBe(400);
    expect((await api(h, 'POST', '/api/tenant/owner-transfer', { body: { userId: a.cred.id } })).status).toBe(401);

    const ok = await api(h, 'POST', '/api/tenant/owner-transfer', { headers: o.headers, body: { userId: a.cred.id } });
    expect(ok).toMatchObject({ status: 200, body: { user: { id: a.cred.id, role: 'owner' } } });
    // Sessions carry the role: both sign in again; the old owner's session no longer manages the team.
    expect((await api(h, 'POST', '/api/tenant/users', { headers: o.headers, body: { email: email(), role: 'viewer' } })).status).toBe(401);
    const fresh = await loginAs(h, o.cred);
    expect(fresh.user).toMatchObject({ role: 'admin' });
    expect(await auditActions(t.tenant.id, a.cred.id)).toContain('user.owner_transfer');
  });
});
