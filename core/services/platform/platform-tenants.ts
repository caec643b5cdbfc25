/**
 * Tenants as the platform sees them (platform context): list, detail with counts, suspend,
 * restore. `scope` narrows a sales rep to the tenants assigned to them; a tenant outside the
 * caller's scope is reported as not found. Suspend/restore are audited (tenant.suspend,
 * tenant.restore) in the same transaction as the change.
 */
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { tenants } from '../../db/schema/index.ts';
import { auditTx } from '../tenancy/audit.ts';
import { containsPattern } from '../../db/like.ts';

export type TenantRow = typeof tenants.$inferSelect;
/** 'all', or the platform user id whose assigned tenants are visible. */
export type TenantScope = { kind: 'all' } | { kind: 'assigned'; userId: string };

const scoped = (scope: TenantScope, extra?: SQL) =>
  and(scope.kind === 'assigned' ? eq(tenants.assignedSalesRepId, scope.userId) : undefined, extra);

/** Tenants in scope, newest first; `status` and `q` (slug/name) filter. Max 500. */
export async function listTenants(db: Database, scope: TenantScope, opts: { status?: string; q?: string; limit?: number } = {}): Promise<TenantRow[]> {
  const like = containsPattern(opts.q);
  return db.withPlatform((tx) =>
    tx
      .select()
      .from(tenants)
      .where(scoped(scope, and(opts.status ? eq(tenants.status, opts.status as TenantRow['status']) : undefined, like ? or(ilike(tenants.slug, like), ilike(tenants.name, like)) : undefined)))
      .orderBy(desc(tenants.createdAt))
      .limit(Math.min(opts.limit ?? 100, 500)),
  );
}

/** Row counts of one tenant. */
export interface TenantCounts {
  users: number;
  channels: number;
  customers: number;
  conversations: number;
  messages: number;
}

/** A tenant in scope with usage counts, or undefined. */
export async function getTenantDetail(db: Database, scope: TenantScope, id: string) {
  return db.withPlatform(async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(scoped(scope, eq(tenants.id, id)));
    if (!tenant) return undefined;
    const counts = await tx.execute(sql`select
      (select count(*) from tenant_users where tenant_id = ${id})::int as users,
      (select count(*) from channels where tenant_id = ${id})::int as channels,
      (select count(*) from customers where tenant_id = ${id})::int as customers,
      (select count(*) from conversations where tenant_id = ${id})::int as conversations,
      (select count(*) from messages where tenant_id = ${id})::int as messages`);
    const row = ((counts as unknown as { rows?: unknown[] }).rows ?? (counts as unknown as unknown[]))[0] as TenantCounts;
    return { tenant, counts: row };
  });
}

/**
 * Set a tenant's status to suspended (or back to active), audited with the actor and reason.
 * @returns the updated row, or undefined when not in scope.
 */
export async function setTenantSuspended(
  db: Database,
  scope: TenantScope,
  id: string,
  suspended: boolean,
  actor: { id: string; ip?: string; reason?: string },
): Promise<TenantRow | undefined> {
  return db.withPlatform(async (tx) => {
    const [cur] = await tx.select().from(tenants).where(scoped(scope, eq(tenants.id, id))).for('update');
    if (!cur) return undefined;
    const [row] = await tx.update(tenants).set({ status: suspended ? 'suspended' : 'active' }).where(eq(tenants.id, id)).returning();
    await auditTx(tx, {
      tenantId: id,
      actorType: 'platform_user',
      actorId: actor.id,
      action: suspended ? 'tenant.suspend' : 'tenant.restore',
      target: id,
      data: { from: cur.status, to: row!.status, ...(actor.reason ? { reason: actor.reason } : {}) },
      ip: actor.ip,
    });
    return row;
  });
}
