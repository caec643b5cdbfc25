/**
 * Sales-rep commissions. Every payment of a tenant assigned to a rep creates one commission
 * (unique per payment, so a replayed payment creates nothing): rate = the rep's first-payment
 * rate for the tenant's first payment, else the recurring rate (basis points; defaults 20 % / 10 %).
 * Status moves pending → approved → paid, each step only from the one before (idempotent).
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { commissions, platformRevenue, salesRepSettings, tenants, type CommissionStatus } from '../../db/schema/index.ts';
import type { PaymentRow } from './payments.ts';
import { monthOf } from './months.ts';

export type CommissionRow = typeof commissions.$inferSelect;
export const DEFAULT_RATES = { firstPaymentRateBp: 2000, recurringRateBp: 1000 };

/** Create the commission for a just-inserted payment (no-op without a rep or when it exists). */
export async function createCommissionForPayment(tx: Tx, payment: PaymentRow, repId: string | null): Promise<CommissionRow | undefined> {
  if (!repId) return undefined;
  const [settings] = await tx.select().from(salesRepSettings).where(eq(salesRepSettings.userId, repId));
  const rates = settings ?? DEFAULT_RATES;
  const [earlier] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(platformRevenue)
    .where(and(eq(platformRevenue.tenantId, payment.tenantId), lt(platformRevenue.paidAt, payment.paidAt)));
  const kind = earlier!.n === 0 ? 'first' : 'recurring';
  const rateBp = kind === 'first' ? rates.firstPaymentRateBp : rates.recurringRateBp;
  const [row] = await tx
    .insert(commissions)
    .values({
      tenantId: payment.tenantId,
      repId,
      paymentId: payment.id,
      kind,
      rateBp,
      amountCents: Math.round((payment.amountCents * rateBp) / 10_000),
      month: monthOf(payment.paidAt),
    })
    .onConflictDoNothing({ target: commissions.paymentId })
    .returning();
  return row;
}

const NEXT: Record<'approve' | 'pay', { from: CommissionStatus; to: CommissionStatus; stamp: 'approvedAt' | 'paidAt' }> = {
  approve: { from: 'pending', to: 'approved', stamp: 'approvedAt' },
  pay: { from: 'approved', to: 'paid', stamp: 'paidAt' },
};

/**
 * Approve (pending → approved) or pay (approved → paid) commissions; rows in any other status are
 * left as they are. @returns the ids actually moved.
 */
export async function advanceCommissions(db: Database, action: 'approve' | 'pay', ids: string[], now = new Date()): Promise<string[]> {
  if (!ids.length) return [];
  const step = NEXT[action];
  return db.withPlatform(async (tx) => {
    const rows = await tx
      .update(commissions)
      .set({ status: step.to, [step.stamp]: now })
      .where(and(inArray(commissions.id, ids), eq(commissions.status, step.from)))
      .returning({ id: commissions.id });
    return rows.map((r) => r.id);
  });
}

export interface LeaderboardRow {
  repId: string;
  name: string | null;
  email: string;
  payments: number;
  newTenants: number;
  revenueCents: number;
  commissionCents: number;
}

/** Reps ranked by commission earned in `month` ('YYYY-MM-01'); optionally one rep only. */
export async function leaderboard(db: Database, month: string, repId?: string): Promise<LeaderboardRow[]> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select u.id as "repId", u.name, u.email,
        count(c.id)::int as payments,
        count(c.id) filter (where c.kind = 'first')::int as "newTenants",
        coalesce(sum(r.amount_cents), 0)::bigint as "revenueCents",
        coalesce(sum(c.amount_cents), 0)::bigint as "commissionCents"
      from platform_users u
      left join commissions c on c.rep_id = u.id and c.month = ${month}
      left join platform_revenue r on r.id = c.payment_id
      where u.role = 'sales' ${repId ? sql`and u.id = ${repId}` : sql``}
      group by u.id order by "commissionCents" desc, u.email`);
    return rowsOf<LeaderboardRow>(res).map((r) => ({ ...r, revenueCents: Number(r.revenueCents), commissionCents: Number(r.commissionCents) }));
  });
}

export interface CommissionMonth {
  month: string;
  pendingCents: number;
  approvedCents: number;
  paidCents: number;
  count: number;
}

/** One rep's commissions per month, newest first (KES cents by status). */
export async function repCommissionsByMonth(db: Database, repId: string, limit = 12): Promise<CommissionMonth[]> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select to_char(month, 'YYYY-MM-DD') as month,
        coalesce(sum(amount_cents) filter (where status = 'pending'), 0)::bigint as "pendingCents",
        coalesce(sum(amount_cents) filter (where status = 'approved'), 0)::bigint as "approvedCents",
        coalesce(sum(amount_cents) filter (where status = 'paid'), 0)::bigint as "paidCents",
        count(*)::int as count
      from commissions where rep_id = ${repId} group by month order by month desc limit ${limit}`);
    return rowsOf<CommissionMonth>(res).map((r) => ({
      ...r,
      pendingCents: Number(r.pendingCents),
      approvedCents: Number(r.approvedCents),
      paidCents: Number(r.paidCents),
    }));
  });
}

/** Rows of a drizzle `execute` result on either driver (node-postgres or PGlite). */
export function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

/** A commission with its tenant's name and the payment it came from (KES cents). */
export interface CommissionListRow {
  id: string;
  repId: string;
  tenantId: string;
  tenantName: string;
  kind: CommissionRow['kind'];
  rateBp: number;
  amountCents: number;
  paymentCents: number;
  month: string;
  status: CommissionRow['status'];
}

/** Commissions, newest month first (optionally one rep's); at most 500. */
export async function listCommissions(db: Database, repId?: string): Promise<CommissionListRow[]> {
  return db.withPlatform((tx) =>
    tx
      .select({
        id: commissions.id,
        repId: commissions.repId,
        tenantId: commissions.tenantId,
        tenantName: tenants.name,
        kind: commissions.kind,
        rateBp: commissions.rateBp,
        amountCents: commissions.amountCents,
        paymentCents: platformRevenue.amountCents,
        month: commissions.month,
        status: commissions.status,
      })
      .from(commissions)
      .innerJoin(tenants, eq(tenants.id, commissions.tenantId))
      .innerJoin(platformRevenue, eq(platformRevenue.id, commissions.paymentId))
      .where(repId ? eq(commissions.repId, repId) : undefined)
      .orderBy(desc(commissions.month), desc(commissions.createdAt))
      .limit(500),
  );
}
