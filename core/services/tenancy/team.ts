/**
 * A tenant's team: list, invite, resend/revoke an invite, change a role, deactivate/reactivate,
 * transfer ownership. Each action is one function: the tenant-scoped lookup (another tenant's id
 * is simply not found), the rule checks, the write and its audit entry in one transaction.
 *
 * Rules (besides the route's `users` permission, i.e. owner or admin):
 *  - only an owner may change, deactivate or re-invite an owner (`owner_protected`, 403);
 *  - nobody demotes or deactivates the last active owner (`last_owner`, 409);
 *  - nobody deactivates themselves (`self_action`, 409) — that is how a tenant locks itself out;
 *  - an email is a member once per tenant, case-insensitively (`already_member`, 409);
 *  - ownership moves only by `transferOwnership` (owner only; the old owner becomes admin).
 * Invite tokens are the owner-invite tokens of core/services/platform/invites.ts (HMAC over the
 * user's password hash): an invited user gets a random password hash, and re-inviting rotates it,
 * so every older link stops working; accepting sets the password, so a link works once.
 *
 * Sessions: a role change, a deactivation or an ownership transfer ends the users' sessions
 * (sessions.ts `revokeUserSessions`, after the commit; the session carries the role). Routes then
 * call `app.forgetSessions([])` so no process trusts them from its cache.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { isUuid } from '../../db/client.ts';
import { tenants, tenantUsers, type TenantUserStatus } from '../../db/schema/index.ts';
import { randomToken } from '../../crypto.ts';
import { AppError } from '../../errors.ts';
import { makeInviteToken } from '../platform/invites.ts';
import { auditTx } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';
import type { TenantRole } from './permissions.ts';

export type InvitableRole = Exclude<TenantRole, 'owner'>;

export interface TeamMember {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  role: TenantRole;
  status: TenantUserStatus;
  /** ISO 8601 */
  createdAt: string;
}

/** Who acts: the signed-in tenant user (from the session) and the client address for the audit. */
export interface TeamActor {
  tenantId: string;
  userId: string;
  role: TenantRole;
  ip?: string;
}

export class TeamError extends AppError {}
const notFound = () => new TeamError('not_found', 'No such team member');

/** An invite link's ingredients; the caller turns them into mail/SMS (invites-tenant.ts). */
export interface IssuedInvite {
  member: TeamMember;
  token: string;
  tenant: { slug: string; name: string };
}

type Row = typeof tenantUsers.$inferSelect;
const toMember = (u: Row): TeamMember => ({
  id: u.id,
  email: u.email,
  name: u.name,
  phone: u.phone,
  role: u.role,
  status: u.status,
  createdAt: u.createdAt.toISOString(),
});

/** Invite tokens live 7 days (the platform owner-invite default). */
export const INVITE_TTL_MS = 7 * 86_400_000;

// The cursor carries created_at as Postgres prints it (microseconds; a JS Date would cut them to
// ms and repeat rows) plus the id, base64url-encoded.
const cursorOf = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');
function parseCursor(c: string): { at: string; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  if (!isUuid(id) || !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(at ?? '')) throw new TeamError('invalid_cursor', 'cursor is not one this list gave out');
  return { at: at!, id };
}

/** Oldest first (the owner who signed up is at the top). limit 1..200; cursor from nextCursor. */
export async function listTeam(db: Database, tenantId: string, opts: { limit?: number; cursor?: string } = {}): Promise<{ items: TeamMember[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const after = opts.cursor ? parseCursor(opts.cursor) : undefined;
  const rows = await db.withTenant(tenantId, (tx) =>
    tx
      .select({ u: tenantUsers, at: sql<string>`${tenantUsers.createdAt}::text` })
      .from(tenantUsers)
      .where(
        and(
          eq(tenantUsers.tenantId, tenantId),
          after ? sql`(${tenantUsers.createdAt}, ${tenantUsers.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(tenantUsers.createdAt), asc(tenantUsers.id))
      .limit(limit + 1),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => toMember(r.u)), nextCursor: rows.length > limit && last ? cursorOf(last.at, last.u.id) : null };
}

async function lockMember(tx: Tx, tenantId: string, id: string): Promise<Row> {
  if (!isUuid(id)) throw notFound();
  const [u] = await tx.select().from(tenantUsers).where(and(eq(tenantUsers.tenantId, tenantId), eq(tenantUsers.id, id))).for('update');
  if (!u) throw notFound();
  return u;
}

async function tenantOf(tx: Tx, tenantId: string): Promise<{ slug: string; name: string }> {
  const [t] = await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  return t!;
}

/** Active owners other than `exceptId`, with their rows locked (so two demotions cannot both pass). */
async function otherActiveOwners(tx: Tx, tenantId: string, exceptId: string): Promise<number> {
  const rows = await tx
    .select({ id: tenantUsers.id })
    .from(tenantUsers)
    .where(and(eq(tenantUsers.tenantId, tenantId), eq(tenantUsers.role, 'owner'), eq(tenantUsers.status, 'active')))
    .for('update');
  return rows.filter((r) => r.id !== exceptId).length;
}

function guardOwnerTarget(actor: TeamActor, target: Row): void {
  if (target.role === 'owner' && actor.role !== 'owner') throw new TeamError('owner_protected', 'Only an owner can change an owner');
}

const audit = (tx: Tx, actor: TeamActor, action: string, target: string, data: Record<string, unknown> = {}) =>
  auditTx(tx, { tenantId: actor.tenantId, actorType: 'tenant_user', actorId: actor.userId, action, target, data, ip: actor.ip });

/**
 * Invite `email` with `role`: a member row in status 'invited' and a fresh invite token.
 * @throws TeamError 409 already_member (any status, case-insensitive email).
 */
export async function inviteMember(
  db: Database,
  secret: string,
  actor: TeamActor,
  input: { email: string; role: InvitableRole; phone?: string; name?: string },
  now = new Date(),
): Promise<IssuedInvite> {
  const email = input.email.trim().toLowerCase();
  const placeholder = await hashPassword(randomToken());
  return db.withTenant(actor.tenantId, async (tx) => {
    // Serialise invites per tenant + email, so two concurrent invites give one member and one 409.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`team-invite:${actor.tenantId}:${email}`}))`);
    const [dup] = await tx
      .select({ id: tenantUsers.id })
      .from(tenantUsers)
      .where(and(eq(tenantUsers.tenantId, actor.tenantId), eq(sql`lower(${tenantUsers.email})`, email)));
    if (dup) throw new TeamError('already_member', `${email} is already on this team`);
    const [u] = await tx
      .insert(tenantUsers)
      .values({
        tenantId: actor.tenantId,
        email,
        passwordHash: placeholder,
        role: input.role,
        name: input.name?.trim() || null,
        phone: input.phone ?? null,
        status: 'invited',
        invitedAt: now,
        invitedBy: actor.userId,
      })
      .returning();
    await audit(tx, actor, 'user.invite', u!.id, { email, role: input.role });
    return { member: toMember(u!), token: makeInviteToken(secret, u!.id, placeholder, now.getTime(), INVITE_TTL_MS), tenant: await tenantOf(tx, actor.tenantId) };
  });
}

/**
 * A new invite link for a member still in 'invited'; every older link stops working.
 * @throws TeamError 404, 403 owner_protected, 409 not_invited (already accepted or deactivated).
 */
export async function resendInvite(db: Database, secret: string, actor: TeamActor, id: string, now = new Date()): Promise<IssuedInvite> {
  const placeholder = await hashPassword(randomToken());
  return db.withTenant(actor.tenantId, async (tx) => {
    const u = await lockMember(tx, actor.tenantId, id);
    guardOwnerTarget(actor, u);
    if (u.status !== 'invited') throw new TeamError('not_invited', `This member is ${u.status}, not waiting for an invite`);
    const [row] = await tx.update(tenantUsers).set({ passwordHash: placeholder, invitedAt: now }).where(eq(tenantUsers.id, u.id)).returning();
    await audit(tx, actor, 'user.invite_resend', u.id, { email: u.email });
    return { member: toMember(row!), token: makeInviteToken(secret, u.id, placeholder, now.getTime(), INVITE_TTL_MS), tenant: await tenantOf(tx, actor.tenantId) };
  });
}

/**
 * Change a member's role and/or active state. `active: true` on a deactivated member restores
 * 'active' (or 'invited' when they never accepted).
 * @throws TeamError 404, 403 owner_protected, 409 last_owner | self_action.
 */
export async function updateMember(db: Database, actor: TeamActor, id: string, patch: { role?: InvitableRole; active?: boolean }, now = new Date()): Promise<TeamMember> {
  let endSessions: string | undefined;
  const member = await db.withTenant(actor.tenantId, async (tx) => {
    const u = await lockMember(tx, actor.tenantId, id);
    guardOwnerTarget(actor, u);
    const set: Partial<Row> = {};
    if (patch.role && patch.role !== u.role) set.role = patch.role;
    if (patch.active === false && u.status !== 'deactivated') {
      if (u.id === actor.userId) throw new TeamError('self_action', 'You cannot deactivate yourself');
      Object.assign(set, { status: 'deactivated', deactivatedAt: now });
    }
    if (patch.active === true && u.status === 'deactivated') Object.assign(set, { status: u.acceptedAt || !u.invitedAt ? 'active' : 'invited', deactivatedAt: null });
    if ((set.role || set.status === 'deactivated') && u.role === 'owner' && u.status === 'active' && (await otherActiveOwners(tx, actor.tenantId, u.id)) === 0)
      throw new TeamError('last_owner', 'The last owner cannot be demoted or deactivated; transfer ownership first');
    if (!Object.keys(set).length) return toMember(u);
    const [row] = await tx.update(tenantUsers).set(set).where(eq(tenantUsers.id, u.id)).returning();
    if (set.role) await audit(tx, actor, 'user.role_change', u.id, { from: u.role, to: set.role });
    if (set.status === 'deactivated') await audit(tx, actor, 'user.deactivate', u.id, { email: u.email });
    else if (set.status) await audit(tx, actor, 'user.reactivate', u.id, { email: u.email, status: set.status });
    // The session carries the role: a role change or a deactivation ends the member's sessions.
    if (set.role || set.status === 'deactivated') endSessions = set.status === 'deactivated' ? 'deactivated' : 'role_change';
    return toMember(row!);
  });
  if (endSessions) await revokeUserSessions(db, { userId: member.id, kind: 'tenant', reason: endSessions });
  return member;
}

/**
 * DELETE: an invited member is removed (the invite is revoked, the email can be invited again);
 * an active one is deactivated (the row stays for the history); a deactivated one is left as is.
 * @throws TeamError 404, 403 owner_protected, 409 last_owner | self_action.
 */
export async function removeMember(db: Database, actor: TeamActor, id: string, now = new Date()): Promise<'revoked' | 'deactivated' | 'unchanged'> {
  const invited = await db.withTenant(actor.tenantId, async (tx) => {
    const u = await lockMember(tx, actor.tenantId, id);
    guardOwnerTarget(actor, u);
    if (u.status !== 'invited') return false;
    await tx.delete(tenantUsers).where(eq(tenantUsers.id, u.id));
    await audit(tx, actor, 'user.invite_revoke', u.id, { email: u.email, role: u.role });
    return true;
  });
  if (invited) return 'revoked';
  const before = await db.withTenant(actor.tenantId, (tx) => lockMember(tx, actor.tenantId, id));
  if (before.status === 'deactivated') return 'unchanged';
  await updateMember(db, actor, id, { active: false }, now);
  return 'deactivated';
}

/**
 * Make active member `userId` an owner; the acting owner becomes an admin. Owner only.
 * @throws TeamError 403 not_owner, 404, 409 self_action | not_active.
 */
export async function transferOwnership(db: Database, actor: TeamActor, userId: string): Promise<TeamMember> {
  if (actor.role !== 'owner') throw new TeamError('not_owner', 'Only the owner can transfer ownership');
  const member = await db.withTenant(actor.tenantId, async (tx) => {
    const target = await lockMember(tx, actor.tenantId, userId);
    if (target.id === actor.userId) throw new TeamError('self_action', 'You are already the owner');
    if (target.status !== 'active') throw new TeamError('not_active', 'Ownership can only go to an active member who has accepted their invite');
    const self = await lockMember(tx, actor.tenantId, actor.userId);
    if (self.role !== 'owner' || self.status !== 'active') throw new TeamError('not_owner', 'Only the owner can transfer ownership');
    const [row] = await tx.update(tenantUsers).set({ role: 'owner' }).where(eq(tenantUsers.id, target.id)).returning();
    await tx.update(tenantUsers).set({ role: 'admin' }).where(eq(tenantUsers.id, actor.userId));
    await audit(tx, actor, 'user.owner_transfer', target.id, { from: actor.userId, to: target.id, previousRole: target.role });
    return toMember(row!);
  });
  // Both roles changed, and sessions carry the role: both sign in again.
  for (const userId of [member.id, actor.userId]) await revokeUserSessions(db, { userId, kind: 'tenant', reason: 'owner_transfer' });
  return member;
}
