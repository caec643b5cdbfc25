/**
 * Finding 8: ten failed logins locked the account for everyone, correct password included, so
 * anyone could lock the owner out. Now failures back off exponentially per (account, client
 * address): the attacker's address waits longer and longer, the owner signing in from elsewhere
 * is not affected. Lockouts are audited; repeated failures alert the owner (auth.login_alert).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { createTenantUser, type Credentials } from '../helpers/auth.ts';
import { from, startSecurityHarness } from './security-harness.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

let h: Harness;
let sink: SmtpSink;
let t: TestTenant;
const BASE_MS = 300;

beforeAll(async () => {
  sink = await startSmtpSink();
  h = await startSecurityHarness({ SMTP_URL: sink.url, LOGIN_FREE_FAILURES: '3', LOGIN_BACKOFF_BASE_MS: String(BASE_MS), LOGIN_NOTIFY_FAILURES: '5', RATE_LIMIT_LOGIN_PER_IP: '1000' });
  t = await h.tenant();
});
afterAll(async () => {
  await h?.close();
  await sink?.close();
});

const login = (cred: Credentials, password: string, ip: string) =>
  fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: from(ip, { 'content-type': 'application/json' }), body: JSON.stringify({ email: cred.email, password, tenant: cred.tenant }) });
const audits = (action: string, target: string) =>
  h.rt.db.query<Record<string, any>>(`select * from audit_log where action = $1 and target = $2 order by id`, [action, target]);

describe('finding 8: an attacker cannot lock the owner out', () => {
  it("the attacker's failures lock only the attacker's address; the owner signs in from elsewhere", async () => {
    const owner = await createTenantUser(h, t.tenant.id, 'owner');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(owner, `guess-${i}`, '203.0.113.66')).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toContain(429);
    const locked = await login(owner, owner.password, '203.0.113.66');
    // Even the right password waits at the attacker's address while its backoff runs…
    if (locked.status === 429) expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // …while the owner, elsewhere, signs in at once.
    expect((await login(owner, owner.password, '198.51.100.1')).status).toBe(200);
    const lockouts = (await audits('auth.rate_limited', owner.email)).filter((r) => r.data.lockout);
    expect(lockouts.length).toBeGreaterThanOrEqual(1);
    expect(lockouts[0]).toMatchObject({ ip: '203.0.113.66', data: { by: 'account_address', tenant: owner.tenant } });
  });

  it('the backoff doubles with each further failure', async () => {
    const user = await createTenantUser(h, t.tenant.id, 'staff');
    const ip = '203.0.113.67';
    for (let i = 0; i < 3; i++) expect((await login(user, `wrong-${i}`, ip)).status).toBe(401);
    // Each time the lock has run out, one more failure sets a lock twice as long.
    for (let round = 0; round < 2; round++)
      await h.until(async () => (await login(user, 'wrong-again', ip)).status === 401, 10_000, 'the lock to run out');
    const locks = (await audits('auth.rate_limited', user.email)).filter((r) => r.data.lockout).map((r) => r.data.lockMs);
    expect(locks).toEqual([BASE_MS, BASE_MS * 2, BASE_MS * 4]);
  });

  it('repeated failures from many addresses alert the owner once (audited), without locking them out', async () => {
    const owner = await createTenantUser(h, t.tenant.id, 'owner');
    for (let i = 0; i < 7; i++) expect((await login(owner, `spray-${i}`, `192.0.2.${i + 1}`)).status).toBe(401);
    const alerts = await audits('auth.login_alert', owner.email);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ tenant_id: t.tenant.id, data: { failures: 5, tenant: owner.tenant } });
    const mail = await sink.waitFor(owner.email, { match: /wrong password 5 times/ });
    expect(mail.subject).toBe('Failed sign-ins to your Aizalo account');
    expect((await login(owner, owner.password, '198.51.100.2')).status).toBe(200);
  });
});
