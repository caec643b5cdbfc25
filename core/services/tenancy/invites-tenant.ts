/**
 * Tenant invites as the invited person sees them: the link, the email and SMS texts, the
 * preview the invite page shows, and acceptance. Tokens are the owner-invite tokens of
 * core/services/platform/invites.ts (one machinery for team invites and the sales `/onboard`
 * owner invite): valid 7 days, single use, dead once re-issued, revoked or deactivated.
 *
 * Link: `${PUBLIC_URL}/app/invite?token=TOKEN&tenant=SLUG` (the console's invite page, business
 * filled in).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { tenants, tenantUsers } from '../../db/schema/index.ts';
import type { Logger } from '../../logger.ts';
import type { MailMessage, Mailer } from '../../mail.ts';
import { acceptInvite, inspectInvite, InviteError } from '../platform/invites.ts';
import { audit } from './audit.ts';

export function inviteLink(publicUrl: string, token: string, slug: string): string {
  return `${publicUrl}/app/invite?token=${encodeURIComponent(token)}&tenant=${encodeURIComponent(slug)}`;
}

/** The invite email (plain text). `role` as the console shows it (owner, admin, staff, viewer). */
export function inviteEmail(to: string, tenant: { name: string }, role: string, link: string): MailMessage {
  return {
    to,
    subject: `You're invited to ${tenant.name} on Aizalo`,
    text: [
      'Hello,',
      '',
      `You have been invited to join ${tenant.name} on Aizalo as ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}.`,
      'Open this link to choose your password and sign in (it works once and expires in 7 days):',
      '',
      link,
      '',
      'If you did not expect this invite, you can ignore this email.',
    ].join('\n'),
  };
}

/** The invite as one SMS (no markdown, well under 160 characters plus the link). */
export function inviteSms(tenant: { name: string }, link: string): string {
  return `Aizalo: you are invited to ${tenant.name}. Open ${link} to choose your password and sign in.`;
}

/**
 * Send the invite email. Never throws: a failed mail is logged and the invite stays resendable.
 * @returns true when the mail server accepted it (or it was printed in zero-setup mode).
 */
export async function deliverInviteEmail(deps: { mailer: Mailer; log: Logger }, msg: MailMessage): Promise<boolean> {
  try {
    await deps.mailer.send(msg);
    return true;
  } catch (err) {
    deps.log.warn({ err, to: msg.to }, 'invite email could not be sent; resend it from the Team page');
    return false;
  }
}

/** What the invite page shows. @throws InviteError (400) for a bad, used, revoked or expired token. */
export async function previewInvite(db: Database, secret: string, token: string, now = Date.now()): Promise<{ email: string; tenant: { slug: string; name: string } }> {
  const inv = await inspectInvite(db, secret, token, now);
  const [t] = await db.withTenant(inv.tenantId, (tx) => tx.select({ slug: tenants.slug, name: tenants.name, status: tenants.status }).from(tenants).where(eq(tenants.id, inv.tenantId)));
  if (!t || t.status === 'canceled') throw new InviteError('this business is no longer on Aizalo');
  return { email: inv.email, tenant: { slug: t.slug, name: t.name } };
}

/**
 * Accept: set the password (once), make the member active, audit `user.invite_accept`.
 * @returns the member's identity for the session.
 * @throws InviteError (400) for a bad/used/expired token; WeakPasswordError (400).
 */
export async function acceptTenantInvite(
  db: Database,
  secret: string,
  token: string,
  password: string,
  ip?: string,
): Promise<{ userId: string; tenantId: string; email: string; role: string; name: string | null; tenant: { slug: string; name: string } }> {
  const r = await acceptInvite(db, secret, token, password);
  const { row, t } = await db.withTenant(r.tenantId, async (tx) => ({
    row: (await tx.select({ role: tenantUsers.role, name: tenantUsers.name }).from(tenantUsers).where(eq(tenantUsers.id, r.userId)))[0],
    t: (await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, r.tenantId)))[0],
  }));
  await audit(db, { tenantId: r.tenantId, actorType: 'tenant_user', actorId: r.userId, action: 'user.invite_accept', target: r.userId, data: { email: r.email }, ip });
  return { ...r, role: row!.role, name: row!.name, tenant: t! };
}
