/**
 * Getting back in: password reset by email (real SMTP sink) for tenant and platform users, the
 * rules of core/services/tenancy/password-reset.ts (202 whatever the account, token hashed at
 * rest, 30-minute expiry, single use, every outstanding link dies with the one used, only active
 * users), the per-account rate limit, invite preview/accept errors, and the
 * `aizalo user reset-password` command against the same database.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { createPlatformUser, createTenantUser, loginAs, signedIn, type Credentials } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { userResetPassword } from '../../bin/commands/user-reset-password.ts';

let h: Harness;
let sink: SmtpSink;
let A: TestTenant;
let RESET_PER_ACCOUNT = 0;
let ipSeq = 0;
/** A fresh client address for one request (see TRUST_PROXY below). */
const fromIp = () => ({ 'x-forwarded-for': `198.51.100.${(++ipSeq % 250) + 1}` });

const resetIn = (text: string) => /https:\/\/aizalo\.test\/app\/reset\?token=([^&\s]+)(?:&tenant=([a-z0-9-]+))?/.exec(text);

/** Ask for a reset over HTTP and return the token from the email that arrives. */
async function resetToken(cred: Credentials): Promise<{ token: string; tenant?: string; subject: string }> {
  const since = sink.messages.length;
  const res = await api(h, 'POST', '/api/auth/password-reset', { headers: fromIp(), body: { email: cred.email, ...(cred.tenant ? { tenant: cred.tenant } : {}) } });
  expect(res.status).toBe(202);
  const mail = await sink.waitFor(cred.email, { since });
  const m = resetIn(mail.text);
  expect(m, mail.text).toBeTruthy();
  return { token: decodeURIComponent(m![1]!), tenant: m![2], subject: mail.subject };
}

/** Wait until the background handling of a reset request for `email` is audited; returns `found`. */
async function requestHandled(email: string): Promise<boolean> {
  const row = await h.until(
    async () => (await h.rt.db.query<{ found: boolean }>(`select (data->>'found')::boolean as found from audit_log where action = 'auth.password_reset_request' and target = $1 order by id desc limit 1`, [email.toLowerCase()]))[0],
    10_000,
    `reset request for ${email} to be handled`,
  );
  return row!.found;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  // TRUST_PROXY: each request below names its client address (X-Forwarded-For), so the per-address
  // reset limit only applies where a test means it to; the per-account limit applies throughout.
  h = await startHarness({ env: { SMTP_URL: sink.url, TRUST_PROXY: 'true' } });
  RESET_PER_ACCOUNT = h.rt.cfg.security.passwordResetPerKey;
  A = await h.tenant({ name: 'Baobab Lodge' });
});
afterAll(async () => {
  await h?.close();
  await sink?.close();
});

describe('POST /api/auth/password-reset + /confirm (tenant user)', () => {
  it('mails a one-time link with the business filled in; the new password works, the old one does not; reuse → 400', async () => {
    const cred = await createTenantUser(h, A.tenant.id, 'staff');
    const before = await loginAs(h, cred);
    const { token, tenant, subject } = await resetToken(cred);
    expect(tenant).toBe(A.tenant.slug);
    expect(subject).toContain('Baobab Lodge');

    // Only the token's SHA-256 is stored.
    const rows = await h.rt.db.query<{ token_hash: string; expires_at: Date; created_at: Date }>(`select token_hash, expires_at, created_at from password_resets where user_id = $1`, [cred.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expires_at.getTime() - rows[0]!.created_at.getTime()).toBeGreaterThan(29 * 60_000);
    expect(rows[0]!.expires_at.getTime() - rows[0]!.created_at.getTime()).toBeLessThanOrEqual(30 * 60_000 + 1000);

    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'my-brand-new-password' } })).status).toBe(204);
    expect((await api(h, 'GET', '/api/auth/me', { headers: before.headers })).status).toBe(401); // the reset ended the old session
    await loginAs(h, { ...cred, password: 'my-brand-new-password' });
    expect((await api(h, 'POST', '/api/auth/login', { body: { email: cred.email, password: cred.password, tenant: cred.tenant } })).status).toBe(401);

    const again = await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'yet-another-password' } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_reset_token', requestId: expect.any(String) } } });
    await loginAs(h, { ...cred, password: 'my-brand-new-password' });
  });

  it('answers 202 with the same body for unknown, invited and deactivated accounts and sends them nothing', async () => {
    const known = await createTenantUser(h, A.tenant.id, 'viewer');
    const off = await createTenantUser(h, A.tenant.id, 'viewer');
    const owner = await signedIn(h, { tenantId: A.tenant.id, role: 'owner' });
    expect((await api(h, 'DELETE', `/api/tenant/users/${off.id}`, { headers: owner.headers })).status).toBe(204);
    const invited = await api(h, 'POST', '/api/tenant/users', { headers: owner.headers, body: { email: `invited-${Date.now()}@reset.test`, role: 'staff' } });
    const invitedEmail = invited.body.user.email as string;
    await sink.waitFor(invitedEmail);
    const since = sink.messages.length;

    const answers = [];
    for (const body of [
      { email: known.email, tenant: A.tenant.slug },
      { email: 'nobody-here@reset.test', tenant: A.tenant.slug },
      { email: known.email, tenant: 'no-such-business' },
      { email: invitedEmail, tenant: A.tenant.slug },
      { email: off.email, tenant: A.tenant.slug },
    ]) {
      const r = await api(h, 'POST', '/api/auth/password-reset', { headers: fromIp(), body });
      answers.push({ status: r.status, body: r.body });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe(202);

    await sink.waitFor(known.email, { since });
    expect(await requestHandled('nobody-here@reset.test')).toBe(false);
    expect(await requestHandled(invitedEmail)).toBe(false);
    expect(await requestHandled(off.email)).toBe(false);
    const to = sink.messages.slice(since).flatMap((m) => m.to);
    expect(to).toEqual([known.email]);
  });

  it('refuses an expired token, keeps a token usable after a weak password, and ends every other outstanding link', async () => {
    const cred = await createTenantUser(h, A.tenant.id, 'admin');
    const first = await resetToken(cred);
    const second = await resetToken(cred);
    const weak = await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: second.token, newPassword: 'short' } });
    expect(weak).toMatchObject({ status: 400, body: { error: { code: 'weak_password' } } });
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: second.token, newPassword: 'long-enough-password' } })).status).toBe(204);
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: first.token, newPassword: 'another-long-password' } })).status).toBe(400);

    const third = await resetToken(cred);
    await h.rt.db.query(`update password_resets set expires_at = now() - interval '1 second' where token_hash = $1`, [createHash('sha256').update(third.token).digest('hex')]);
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: third.token, newPassword: 'too-late-password' } })).body.error.code).toBe('invalid_reset_token');
    await loginAs(h, { ...cred, password: 'long-enough-password' });
    const actions = await h.rt.db.query<{ action: string }>(`select action from audit_log where action = 'auth.password_reset' and actor_id = $1`, [cred.id]);
    expect(actions).toHaveLength(1);
  });

  it('answers 400 for a malformed body and for an unknown token', async () => {
    expect((await api(h, 'POST', '/api/auth/password-reset', { body: {} })).status).toBe(400);
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'x'.repeat(43) } })).status).toBe(400);
    const r = await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'x'.repeat(43), newPassword: 'long-enough-password' } });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'invalid_reset_token' } } });
  });

  it('rate-limits requests per account (RATE_LIMIT_PASSWORD_RESET per window, from any address) with 429 and Retry-After, known account or not', async () => {
    expect(RESET_PER_ACCOUNT).toBeGreaterThan(0);
    for (const email of ['limit-unknown@reset.test', (await createTenantUser(h, A.tenant.id, 'viewer')).email]) {
      const statuses: number[] = [];
      for (let i = 0; i <= RESET_PER_ACCOUNT; i++) statuses.push((await api(h, 'POST', '/api/auth/password-reset', { headers: fromIp(), body: { email, tenant: A.tenant.slug } })).status);
      expect(statuses).toEqual([...Array(RESET_PER_ACCOUNT).fill(202), 429]);
      const over = await api(h, 'POST', '/api/auth/password-reset', { headers: fromIp(), body: { email: email.toUpperCase(), tenant: A.tenant.slug } });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe('password reset for a platform user', () => {
  it('works without a tenant and the link carries none', async () => {
    const cred = await createPlatformUser(h, 'support');
    const { token, tenant } = await resetToken(cred);
    expect(tenant).toBeUndefined();
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'platform-new-password' } })).status).toBe(204);
    const s = await loginAs(h, { email: cred.email, password: 'platform-new-password' });
    expect(s.user).toMatchObject({ userType: 'platform', role: 'support' });
  });
});

describe('invite tokens', () => {
  it.each([
    ['garbage', 'garbage-garbage-garbage'],
    ['a forged payload', `${Buffer.from(JSON.stringify({ u: '00000000-0000-4000-8000-000000000000', e: Date.now() + 60_000 })).toString('base64url')}.forged`],
    ['an expired payload', `${Buffer.from(JSON.stringify({ u: '00000000-0000-4000-8000-000000000000', e: 1 })).toString('base64url')}.x`],
  ])('answer 400 invalid_invite for %s (preview and accept)', async (_what, token) => {
    expect((await api(h, 'GET', `/api/auth/invite?token=${encodeURIComponent(token)}`)).body.error.code).toBe('invalid_invite');
    expect((await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'long-enough-password' } })).body.error.code).toBe('invalid_invite');
  });

  it('answers 400 for a missing token and a weak password (and the invite stays usable)', async () => {
    expect((await api(h, 'GET', '/api/auth/invite')).status).toBe(400);
    const owner = await signedIn(h, { tenantId: A.tenant.id, role: 'owner' });
    const email = `weak-${Date.now()}@reset.test`;
    await api(h, 'POST', '/api/tenant/users', { headers: owner.headers, body: { email, role: 'viewer' } });
    const token = decodeURIComponent(/invite\?token=([^&\s]+)/.exec((await sink.waitFor(email)).text)![1]!);
    expect((await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'short' } })).body.error.code).toBe('weak_password');
    expect((await api(h, 'POST', '/api/auth/invite/accept', { body: { token, password: 'long-enough-password' } })).status).toBe(200);
  });
});

describe('aizalo user reset-password', () => {
  it('prints a one-time reset link for a tenant user, and --random-password sets a password that signs in', async () => {
    const cred = await createTenantUser(h, A.tenant.id, 'owner');
    const out: string[] = [];
    expect(await userResetPassword(h.rt.cfg, ['--email', cred.email, '--tenant', A.tenant.slug], (l) => out.push(l))).toBe(0);
    const token = decodeURIComponent(resetIn(out.join('\n'))![1]!);
    expect((await api(h, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'cli-link-password' } })).status).toBe(204);
    await loginAs(h, { ...cred, password: 'cli-link-password' });

    const out2: string[] = [];
    expect(await userResetPassword(h.rt.cfg, ['--email', cred.email, '--tenant', A.tenant.slug, '--random-password'], (l) => out2.push(l))).toBe(0);
    const password = /New password for \S+ \(Baobab Lodge\): (\S+)/.exec(out2.join('\n'))![1]!;
    await loginAs(h, { ...cred, password });
  });

  it('exits 1 for an account that does not exist', async () => {
    expect(await userResetPassword(h.rt.cfg, ['--email', 'ghost@reset.test', '--tenant', A.tenant.slug], () => {})).toBe(1);
  });
});
