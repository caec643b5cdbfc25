/**
 * Subscription lifecycle, one subscription per tenant:
 *
 *   trial ──(trial ends, unpaid)──► past_due ──(grace passes)──► suspended
 *   active ─(period ends, unpaid)─►    ▲                             │
 *     ▲                                                              │
 *     └────────────── a payment (recordPayment) ◄────────────────────┘
 *
 * `billingTick(db, now)` moves every due subscription (the `billing_tick` job calls it; tests
 * pass their own clock). The tenant's own `status` follows the subscription, except that a tenant
 * suspended or canceled by hand is never revived by the clock.
 */
import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { auditLog, subscriptions, tenants, type SubscriptionStatus } from '../../db/schema/index.ts';

export type SubscriptionRow = typeof subscriptions.$inferSelect;

/** Lifecycle durations, ms. */
export interface LifecyclePolicy {
  trialMs: number;
  graceMs: number;
}
export const DEFAULT_POLICY: LifecyclePolicy = { trialMs: 14 * 86_400_000, graceMs: 7 * 86_400_000 };

/**
 * Create subscriptions for tenants that have none: status mirrors the tenant's, the trial ends
 * `trialMs` after the tenant was created. Platform context. @returns number created.
 */
export async function ensureSubscriptions(tx: Tx, policy: LifecyclePolicy = DEFAULT_POLICY, tenantId?: string): Promise<number> {
  const res = await tx.execute(sql`
    insert into subscriptions (tenant_id, plan_id, status, trial_ends_at)
    select t.id, t.plan_id, t.status, t.created_at + make_interval(secs => ${policy.trialMs / 1000})
    from tenants t
    where not exists (select 1 from subscriptions s where s.tenant_id = t.id)
      ${tenantId ? sql`and t.id = ${tenantId}` : sql``}
    on conflict (tenant_id) do nothing`);
  return (res as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? 0;
}

export interface Transition {
  tenantId: string;
  from: SubscriptionStatus;
  to: SubscriptionStatus;
}

/** Set the subscription status, mirror it on the tenant (unless hand-suspended/canceled), audit. */
export async function applyTransition(tx: Tx, t: Transition, now: Date, patch: Partial<SubscriptionRow> = {}): Promise<void> {
  await tx
    .update(subscriptions)
    .set({ ...patch, status: t.to, updatedAt: now })
    .where(eq(subscriptions.tenantId, t.tenantId));
  // A tenant suspended by hand stays suspended unless the subscription itself was the reason.
  const allowedFrom = t.from === 'suspended' ? ['trial', 'active', 'past_due', 'suspended'] : ['trial', 'active', 'past_due'];
  await tx
    .update(tenants)
    .set({ status: t.to })
    .where(and(eq(tenants.id, t.tenantId), inArray(tenants.status, allowedFrom as SubscriptionStatus[])));
  await tx.insert(auditLog).values({
    tenantId: t.tenantId,
    actorType: 'system',
    action: 'subscription.status',
    target: t.tenantId,
    data: { from: t.from, to: t.to, at: now.toISOString() },
  });
}

/**
 * Move every due subscription at instant `now`: trials ended and active periods ended without a
 * payment → past_due; past_due longer than the grace period → suspended.
 * @returns the transitions made, in order.
 */
export async function billingTick(db: Database, now: Date, policy: LifecyclePolicy = DEFAULT_POLICY): Promise<Transition[]> {
  return db.withPlatform(async (tx) => {
    await ensureSubscriptions(tx, policy);
    const out: Transition[] = [];
    const due = await tx
      .select()
      .from(subscriptions)
      .where(
        or(
          and(eq(subscriptions.status, 'trial'), lte(subscriptions.trialEndsAt, now)),
          // An active subscription without a billing date (set active by hand, comped) is left alone.
          and(eq(subscriptions.status, 'active'), lte(subscriptions.currentPeriodEnd, now)),
        ),
      )
      .for('update');
    for (const s of due) {
      const since = s.status === 'trial' ? s.trialEndsAt! : s.currentPeriodEnd!;
      const t: Transition = { tenantId: s.tenantId, from: s.status, to: 'past_due' };
      await applyTransition(tx, t, now, { pastDueSince: since });
      out.push(t);
    }
    const graceEdge = new Date(now.getTime() - policy.graceMs);
    const overdue = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.status, 'past_due'), lte(subscriptions.pastDueSince, graceEdge)))
      .for('update');
    for (const s of overdue) {
      const t: Transition = { tenantId: s.tenantId, from: 'past_due', to: 'suspended' };
      await applyTransition(tx, t, now);
      out.push(t);
    }
    return out;
  });
}

/** The tenant's subscription (platform context), creating it if missing. */
export async function getSubscription(db: Database, tenantId: string): Promise<SubscriptionRow | undefined> {
  return db.withPlatform(async (tx) => {
    await ensureSubscriptions(tx, DEFAULT_POLICY, tenantId);
    const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.tenantId, tenantId));
    return row;
  });
}

/**
 * Cancel a tenant's subscription (owner/admin decision, audited by the caller's route): the
 * subscription and the tenant become `canceled`; paid months already recorded still count as MRR
 * until their period ends. A later payment does not revive a canceled subscription by itself.
 * @returns false when the tenant has no subscription or it was already canceled.
 */
export async function cancelSubscription(db: Database, tenantId: string, now: Date, actorId?: string): Promise<boolean> {
  return db.withPlatform(async (tx) => {
    await ensureSubscriptions(tx, DEFAULT_POLICY, tenantId);
    const [s] = await tx.select().from(subscriptions).where(eq(subscriptions.tenantId, tenantId)).for('update');
    if (!s || s.status === 'canceled') return false;
    await tx.update(subscriptions).set({ status: 'canceled', canceledAt: now, updatedAt: now }).where(eq(subscriptions.tenantId, tenantId));
    await tx.update(tenants).set({ status: 'canceled' }).where(eq(tenants.id, tenantId));
    await tx.insert(auditLog).values({
      tenantId,
      actorType: actorId ? 'platform_user' : 'system',
      actorId: actorId ?? null,
      action: 'subscription.cancel',
      target: tenantId,
      data: { from: s.status, at: now.toISOString() },
    });
    return true;
  });
}
