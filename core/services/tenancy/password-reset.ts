/**
 * Password reset by emailed link, for tenant users (email + tenant slug) and platform users
 * (email only), the same split as login.
 *
 * A reset token is 32 random bytes (base64url); only its SHA-256 is stored (password_resets,
 * migration 0014), valid RESET_TTL_MS (30 min), used once: confirming sets the password and marks
 * every outstanding token of that user used. Only active users can reset (an invited user uses the
 * invite; a deactivated one asks their admin). Requests for unknown accounts do the same lookup and
 * return nothing, so the caller can answer the same thing either way.
 *
 * Link: `${PUBLIC_URL}/app/reset?token=TOKEN&tenant=SLUG` (no `tenant` for a platform user).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { passwordResets, platformUsers, tenants, tenantUsers } from '../../db/schema/index.ts';
import { randomToken, sha256Hex } from '../../crypto.ts';
import { AppError } from '../../errors.ts';
import type { MailMessage } from '../../mail.ts';
import { auditTx } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';

export const RESET_TTL_MS = 30 * 60_000;

export class ResetTokenError extends AppError {
  constructor() {
    super('invalid_reset_token', 'This reset link was already used, has expired or is invalid; ask for a new one');
  }
}

export interface IssuedReset {
  token: string;
  email: string;
  userType: 'tenant' | 'platform';
  userId: string;
  tenant?: { id: string; slug: string; name: string };
  expiresAt: Date;
}

/**
 * Issue a reset token when `email` (+ `tenant` slug) names an active account.
 * Audits `auth.password_reset_request` either way (with `found`).
 * @returns the token and whom it is for, or undefined when there is no such active account.
 */
export async function requestPasswordReset(
  db: Database,
  input: { email: string; tenant?: string },
  ip?: string,
  now = new Date(),
): Promise<IssuedReset | undefined> {
  const email = input.email.trim().toLowerCase();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  return db.withPlatform(async (tx) => {
    let found: Omit<IssuedReset, 'token' | 'expiresAt'> | undefined;
    if (input.tenant) {
      const [row] = await tx
        .select({ id: tenantUsers.id, email: tenantUsers.email, tenantId: tenants.id, slug: tenants.slug, name: tenants.name })
        .from(tenantUsers)
        .innerJoin(tenants, eq(tenants.id, tenantUsers.tenantId))
        .where(and(eq(tenants.slug, input.tenant.trim().toLowerCase()), eq(sql`lower(${tenantUsers.email})`, email), eq(tenantUsers.status, 'active')));
      if (row) found = { email: row.email, userType: 'tenant', userId: row.id, tenant: { id: row.tenantId, slug: row.slug, name: row.name } };
    } else {
      const [row] = await tx.select({ id: platformUsers.id, email: platformUsers.email }).from(platformUsers).where(eq(sql`lower(${platformUsers.email})`, email));
      if (row) found = { email: row.email, userType: 'platform', userId: row.id };
    }
    if (found)
      await tx.insert(passwordResets).values({
        tenantId: found.tenant?.id ?? null,
        userType: found.userType,
        userId: found.userId,
        tokenHash: sha256Hex(token),
        expiresAt,
        ip: ip ?? null,
      });
    await auditTx(tx, {
      tenantId: found?.tenant?.id ?? null,
      actorType: 'anonymous',
      action: 'auth.password_reset_request',
      target: email,
      data: { found: !!found, ...(input.tenant ? { tenant: input.tenant } : {}) },
      ip,
    });
    return found && { ...found, token, expiresAt };
  });
}

/**
 * Set a new password with a reset token. Audits `auth.password_reset`.
 * @throws WeakPasswordError (400); ResetTokenError (400) for an unknown, used or expired token, or
 *   when the account is gone or no longer active.
 */
export async function confirmPasswordReset(
  db: Database,
  token: string,
  newPassword: string,
  ip?: string,
  now = new Date(),
): Promise<{ userType: 'tenant' | 'platform'; userId: string; tenantId?: string }> {
  const hash = await hashPassword(newPassword);
  const who = await db.withPlatform(async (tx) => {
    const [r] = await tx.select().from(passwordResets).where(eq(passwordResets.tokenHash, sha256Hex(token))).for('update');
    if (!r || r.usedAt || r.expiresAt.getTime() < now.getTime()) throw new ResetTokenError();
    const updated =
      r.userType === 'tenant'
        ? await tx
            .update(tenantUsers)
            .set({ passwordHash: hash })
            .where(and(eq(tenantUsers.id, r.userId), eq(tenantUsers.tenantId, r.tenantId!), eq(tenantUsers.status, 'active')))
            .returning({ id: tenantUsers.id })
        : await tx.update(platformUsers).set({ passwordHash: hash }).where(eq(platformUsers.id, r.userId)).returning({ id: platformUsers.id });
    if (!updated.length) throw new ResetTokenError();
    // Every outstanding link of this user dies with the one used.
    await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, r.userId), isNull(passwordResets.usedAt)));
    await auditTx(tx, {
      tenantId: r.tenantId,
      actorType: r.userType === 'tenant' ? 'tenant_user' : 'platform_user',
      actorId: r.userId,
      action: 'auth.password_reset',
      target: r.userId,
      ip,
    });
    return { userType: r.userType, userId: r.userId, ...(r.tenantId ? { tenantId: r.tenantId } : {}) };
  });
  // A reset ends every session of the account at once (whoever knew the old password is out).
  await revokeUserSessions(db, { userId: who.userId, kind: who.userType, reason: 'password_reset' });
  return who;
}

export function resetLink(publicUrl: string, token: string, tenantSlug?: string): string {
  return `${publicUrl}/app/reset?token=${encodeURIComponent(token)}${tenantSlug ? `&tenant=${encodeURIComponent(tenantSlug)}` : ''}`;
}

/** The reset email (plain text). */
export function resetEmail(to: string, link: string, tenant?: { name: string }): MailMessage {
  return {
    to,
    subject: tenant ? `Reset your ${tenant.name} password on Aizalo` : 'Reset your Aizalo password',
    text: [
      'Hello,',
      '',
      `Someone (hopefully you) asked to reset the password of ${to}${tenant ? ` at ${tenant.name}` : ''} on Aizalo.`,
      'Open this link within 30 minutes to choose a new password (it works once):',
      '',
      link,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}
