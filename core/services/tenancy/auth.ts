/**
 * Identity checks for the two login flows (tenant users by tenant slug + email, platform users by
 * email) and password changes. Passwords: argon2id (passwords.ts). Every outcome is audited by the
 * caller-facing functions here, so the HTTP layer only maps results to status codes.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { platformUsers, tenants, tenantUsers } from '../../db/schema/index.ts';
import type { Logger } from '../../logger.ts';
import type { Mailer } from '../../mail.ts';
import { audit } from './audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';

export interface Identity {
  sub: string;
  userType: 'platform' | 'tenant';
  role: string;
  tenantId?: string;
  email: string;
  name: string | null;
}

export type LoginResult =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'invalid_credentials' | 'tenant_suspended'; tenantId?: string; userId?: string };

// A real argon2id hash of a random string: verifying against it when the user does not exist keeps
// the response time of "unknown email" close to that of "wrong password".
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(`dummy-${Math.random()}-password`));

const BLOCKED = new Set(['suspended', 'canceled']);

/**
 * Check credentials. `tenantSlug` given → tenant user of that tenant; absent → platform user.
 * Audits `auth.login` (ok) or `auth.login_failed` with the reason.
 * @returns ok + identity, or the reason (a suspended tenant's user with the right password gets
 *   'tenant_suspended'; everything else wrong is 'invalid_credentials', never saying which part).
 */
export async function checkLogin(
  db: Database,
  input: { email: string; password: string; tenant?: string },
  ip?: string,
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  let result: LoginResult;
  if (input.tenant) {
    const [t] = await db.withPlatform((tx) =>
      tx.select({ id: tenants.id, status: tenants.status }).from(tenants).where(eq(tenants.slug, input.tenant!.toLowerCase())),
    );
    const [u] = t
      ? await db.withTenant(t.id, (tx) =>
          tx.select().from(tenantUsers).where(and(eq(tenantUsers.tenantId, t.id), eq(sql`lower(${tenantUsers.email})`, email))),
        )
      : [];
    const good = await verifyPassword(u?.passwordHash ?? (await dummy()), input.password);
    // Only active users sign in: an invite not yet accepted or a deactivated user gets the same
    // answer as a wrong password (migration 0014), so the login form tells nobody which it is.
    if (!t || !u || !good || u.status !== 'active') result = { ok: false, reason: 'invalid_credentials', tenantId: t?.id, userId: u?.id };
    else if (BLOCKED.has(t.status)) result = { ok: false, reason: 'tenant_suspended', tenantId: t.id, userId: u.id };
    else
      result = {
        ok: true,
        identity: { sub: u.id, userType: 'tenant', role: u.role, tenantId: t.id, email: u.email, name: u.name },
      };
  } else {
    const [u] = await db.withPlatform((tx) =>
      tx.select().from(platformUsers).where(eq(sql`lower(${platformUsers.email})`, email)),
    );
    const good = await verifyPassword(u?.passwordHash ?? (await dummy()), input.password);
    result =
      u && good
        ? { ok: true, identity: { sub: u.id, userType: 'platform', role: u.role, email: u.email, name: u.name } }
        : { ok: false, reason: 'invalid_credentials', userId: u?.id };
  }
  const tenantId = result.ok ? result.identity.tenantId : result.tenantId;
  await audit(db, {
    tenantId,
    actorType: result.ok ? (result.identity.userType === 'tenant' ? 'tenant_user' : 'platform_user') : 'anonymous',
    actorId: result.ok ? result.identity.sub : (result.userId ?? null),
    action: result.ok ? 'auth.login' : 'auth.login_failed',
    target: email,
    data: { userType: input.tenant ? 'tenant' : 'platform', ...(input.tenant ? { tenant: input.tenant } : {}), ...(result.ok ? {} : { reason: result.reason }) },
    ip,
  });
  return result;
}

/** A user's current profile, or undefined when the account no longer exists. */
export async function loadIdentity(db: Database, userType: 'platform' | 'tenant', id: string, tenantId?: string): Promise<Identity | undefined> {
  if (userType === 'tenant') {
    const [u] = await db.withTenant(tenantId!, (tx) => tx.select().from(tenantUsers).where(eq(tenantUsers.id, id)));
    return u && { sub: u.id, userType, role: u.role, tenantId: u.tenantId, email: u.email, name: u.name };
  }
  const [u] = await db.withPlatform((tx) => tx.select().from(platformUsers).where(eq(platformUsers.id, id)));
  return u && { sub: u.id, userType, role: u.role, email: u.email, name: u.name };
}

/**
 * Change a user's password after checking the current one. Audited as auth.password_change.
 * Every other session of the user is revoked (a thief holding one loses it); `who.sid`, the
 * caller's own session, is kept.
 * @returns false when the current password is wrong (nothing changes).
 * @throws WeakPasswordError (400) when the new password is too short.
 */
export async function changePassword(
  db: Database,
  who: { userType: 'platform' | 'tenant'; sub: string; tenantId?: string; sid?: string },
  current: string,
  next: string,
  ip?: string,
): Promise<boolean> {
  const nextHash = await hashPassword(next);
  const run = <T>(fn: Parameters<Database['withPlatform']>[0]) =>
    (who.userType === 'tenant' ? db.withTenant(who.tenantId!, fn) : db.withPlatform(fn)) as Promise<T>;
  const table = who.userType === 'tenant' ? tenantUsers : platformUsers;
  const [u] = await run<Array<{ passwordHash: string }>>((tx) =>
    tx.select({ passwordHash: table.passwordHash }).from(table).where(eq(table.id, who.sub)),
  );
  const ok = !!u && (await verifyPassword(u.passwordHash, current));
  if (ok) {
    await run((tx) => tx.update(table).set({ passwordHash: nextHash }).where(eq(table.id, who.sub)));
    await revokeUserSessions(db, { userId: who.sub, kind: who.userType, exceptId: who.sid, reason: 'password_change' });
  }
  await audit(db, {
    tenantId: who.tenantId,
    actorType: who.userType === 'tenant' ? 'tenant_user' : 'platform_user',
    actorId: who.sub,
    action: ok ? 'auth.password_change' : 'auth.password_change_failed',
    target: who.sub,
    ip,
  });
  return ok;
}

/**
 * Repeated failed sign-ins on one account (LOGIN_NOTIFY_FAILURES within the login window, from
 * any addresses): audited as `auth.login_alert` and the account holder is told by email (through
 * `mailer`, core/mail.ts; printed to the terminal in zero-setup mode). Never throws: an alert must
 * not change the answer to the sign-in attempt.
 * @param who the account as typed at sign-in (email, tenant slug or none for platform users).
 */
export async function notifyRepeatedLoginFailures(
  db: Database,
  who: { email: string; tenant?: string; failures: number; windowMs: number; ip?: string },
  log?: Pick<Logger, 'warn'>,
  mailer?: Pick<Mailer, 'send'>,
): Promise<void> {
  try {
    const email = who.email.trim().toLowerCase();
    const [t] = who.tenant
      ? await db.withPlatform((tx) => tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, who.tenant!.toLowerCase())))
      : [];
    await audit(db, {
      tenantId: t?.id,
      actorType: 'system',
      action: 'auth.login_alert',
      target: email,
      data: { tenant: who.tenant ?? null, failures: who.failures, windowMs: who.windowMs, lastIp: who.ip ?? null },
      ip: who.ip,
    });
    log?.warn({ email, tenant: who.tenant, failures: who.failures }, 'repeated failed sign-ins: account holder alerted');
    await mailer?.send({
      to: email,
      subject: 'Failed sign-ins to your Aizalo account',
      text: `Someone tried to sign in to your account${who.tenant ? ` at ${who.tenant}` : ''} with a wrong password ${who.failures} times in the last ${Math.round(who.windowMs / 60_000)} minutes (last from ${who.ip ?? 'an unknown address'}).\nIf this was not you, no action is needed: your account is not locked. If you forgot your password, use "Forgot password" on the sign-in page.`,
    });
  } catch (err) {
    log?.warn({ err }, 'login alert failed');
  }
}
