/**
 * Payments into `platform_revenue`, idempotent on the payment reference: a second call with the
 * same reference records nothing and returns the first payment (`created: false`). In the same
 * transaction a payment fills `revenue_months` (the normalised monthly fee for every calendar
 * month its service period overlaps), moves the subscription to active when its period is still
 * running, and creates the assigned sales rep's commission (commissions.ts).
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { plans, platformRevenue, subscriptions, tenants, type PaymentMethod } from '../../db/schema/index.ts';
import { createCommissionForPayment } from './commissions.ts';
import { addMonthsToDate, monthOf, monthsOverlapping } from './months.ts';
import { applyTransition, DEFAULT_POLICY, ensureSubscriptions } from './subscriptions.ts';
import { AppError } from '../../errors.ts';

export type PaymentRow = typeof platformRevenue.$inferSelect;

export class PaymentInputError extends AppError {
  constructor(message: string) {
    super('invalid_payment', message);
  }
}
export class PaymentConflictError extends AppError {
  constructor(message: string) {
    super('payment_reference_conflict', message);
  }
}

export interface NewPayment {
  tenantId: string;
  /** The payment's own reference (M-Pesa receipt, Stripe charge id, manual ref); unique. */
  reference: string;
  /** KES cents, > 0. */
  amountCents: number;
  method: PaymentMethod;
  paidAt?: Date;
  /** Months paid for (1 = monthly, 12 = annual); the normalised monthly fee is amount / months. */
  periodMonths?: number;
  /** Start of the service period; default: the end of the current paid period if later, else paidAt. */
  periodStart?: Date;
  /** Plan paid for; default the tenant's plan. */
  planId?: string;
  recordedBy?: string;
}

/**
 * Record one payment. @param now clock for the subscription transition (tests pass their own).
 * @returns the payment and whether this call created it.
 * @throws PaymentInputError (400) bad amount/period/unknown tenant or plan;
 *         PaymentConflictError (409) the reference exists with another tenant or amount.
 */
export async function recordPayment(db: Database, input: NewPayment, now: Date = new Date()): Promise<{ payment: PaymentRow; created: boolean }> {
  const months = input.periodMonths ?? 1;
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new PaymentInputError('amountCents must be a positive integer (KES cents)');
  if (!Number.isInteger(months) || months < 1 || months > 36) throw new PaymentInputError('periodMonths must be 1-36');
  if (!input.reference || input.reference.length > 128) throw new PaymentInputError('reference is required (max 128 characters)');
  const paidAt = input.paidAt ?? now;
  return db.withPlatform(async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, input.tenantId));
    if (!tenant) throw new PaymentInputError(`no tenant ${input.tenantId}`);
    const planId = input.planId ?? tenant.planId;
    const [plan] = await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, planId));
    if (!plan) throw new PaymentInputError(`no plan "${planId}"`);
    await ensureSubscriptions(tx, DEFAULT_POLICY, tenant.id);
    const [sub] = await tx.select().from(subscriptions).where(eq(subscriptions.tenantId, tenant.id)).for('update');
    const periodStart =
      input.periodStart ?? (sub?.currentPeriodEnd && sub.currentPeriodEnd > paidAt ? sub.currentPeriodEnd : paidAt);
    const periodEnd = addMonthsToDate(periodStart, months);
    const [inserted] = await tx
      .insert(platformRevenue)
      .values({
        tenantId: tenant.id,
        reference: input.reference,
        method: input.method,
        planId,
        amountCents: input.amountCents,
        periodMonths: months,
        monthlyCents: Math.round(input.amountCents / months),
        periodStart,
        periodEnd,
        paidAt,
        recordedBy: input.recordedBy ?? null,
      })
      .onConflictDoNothing({ target: platformRevenue.reference })
      .returning();
    if (!inserted) {
      const [existing] = await tx.select().from(platformRevenue).where(eq(platformRevenue.reference, input.reference));
      if (!existing || existing.tenantId !== tenant.id || existing.amountCents !== input.amountCents)
        throw new PaymentConflictError(`payment reference "${input.reference}" was already used for another payment`);
      return { payment: existing, created: false };
    }
    const covered = monthsOverlapping(periodStart, periodEnd);
    for (const month of covered) {
      await tx.execute(sql`
        insert into revenue_months (tenant_id, month, monthly_cents) values (${tenant.id}, ${month}, ${inserted.monthlyCents})
        on conflict (month, tenant_id) do update set monthly_cents = greatest(revenue_months.monthly_cents, excluded.monthly_cents)`);
    }
    const first = covered[0] ?? monthOf(periodStart);
    const newEnd = sub?.currentPeriodEnd && sub.currentPeriodEnd > periodEnd ? sub.currentPeriodEnd : periodEnd;
    const patch = {
      planId,
      currentPeriodEnd: newEnd,
      firstPaidMonth: sub?.firstPaidMonth && sub.firstPaidMonth < first ? sub.firstPaidMonth : first,
    };
    if (sub && newEnd > now && sub.status !== 'active' && sub.status !== 'canceled') {
      await applyTransition(tx, { tenantId: tenant.id, from: sub.status, to: 'active' }, now, { ...patch, pastDueSince: null });
    } else {
      await tx.update(subscriptions).set({ ...patch, updatedAt: now }).where(eq(subscriptions.tenantId, tenant.id));
    }
    if (tenant.planId !== planId) await tx.update(tenants).set({ planId }).where(eq(tenants.id, tenant.id));
    await createCommissionForPayment(tx, inserted, tenant.assignedSalesRepId);
    return { payment: inserted, created: true };
  });
}

/** Recorded payments, newest first (optionally one tenant's); at most `limit` (default 100). */
export async function listPayments(db: Database, f: { tenantId?: string; limit?: number } = {}): Promise<PaymentRow[]> {
  return db.withPlatform((tx) =>
    tx
      .select()
      .from(platformRevenue)
      .where(f.tenantId ? eq(platformRevenue.tenantId, f.tenantId) : undefined)
      .orderBy(desc(platformRevenue.paidAt))
      .limit(f.limit ?? 100),
  );
}
