/**
 * Revenue metrics (definitions also in README "Billing metrics"). All money in KES cents, months
 * are UTC calendar months named 'YYYY-MM-01'.
 *
 *  - A tenant's MRR in month M: the normalised monthly fee (payment amount / months paid for) of
 *    its paid service period overlapping M — the highest one if several overlap (an upgrade).
 *    `revenue_months` holds exactly these figures. MRR(M) = the sum over tenants.
 *  - ARR = 12 × MRR of the current month.
 *  - Movements of M versus M-1, per tenant (prev → cur): new (0 → x, first paid month is M),
 *    reactivation (0 → x, paid before), expansion (x → y > x: y - x), contraction (x → 0 < y < x:
 *    x - y), churn (x → 0: x). MRR(M) - MRR(M-1) = new + reactivation + expansion - contraction - churn.
 *  - ARPA = MRR / paying tenants. Logo churn = tenants churned in M / paying tenants in M-1.
 *    Revenue churn = (churn + contraction) / MRR(M-1) (gross).
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { rowsOf } from './commissions.ts';
import { addMonths, monthRange } from './months.ts';

export interface MonthMetrics {
  month: string;
  mrrCents: number;
  payingTenants: number;
  arpaCents: number;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  reactivationCents: number;
  netNewCents: number;
  churnedTenants: number;
  /** Fractions (0.25 = 25 %); null when the month before had no paying tenant. */
  logoChurnRate: number | null;
  revenueChurnRate: number | null;
}

/**
 * MRR and movements for the `count` months ending with `lastMonth`, oldest first.
 * @param lastMonth 'YYYY-MM-01'
 */
export async function mrrSeries(db: Database, lastMonth: string, count = 12): Promise<MonthMetrics[]> {
  return db.withPlatform((tx) => mrrSeriesTx(tx, lastMonth, count));
}

export async function mrrSeriesTx(tx: Tx, lastMonth: string, count: number): Promise<MonthMetrics[]> {
  const months = monthRange(lastMonth, count);
  const first = months[0]!;
  const res = await tx.execute(sql`
    with rm as (
      select tenant_id, month, monthly_cents from revenue_months
      where month >= ${addMonths(first, -1)}::date and month <= ${lastMonth}::date
    ), pairs as (
      select coalesce(c.month, (p.month + interval '1 month')::date) as month,
             coalesce(c.tenant_id, p.tenant_id) as tenant_id,
             coalesce(p.monthly_cents, 0) as prev, coalesce(c.monthly_cents, 0) as cur
      from (select * from rm where month >= ${first}::date) c
      full join (select * from rm where month < ${lastMonth}::date) p
        on p.tenant_id = c.tenant_id and c.month = (p.month + interval '1 month')::date
    )
    select to_char(pr.month, 'YYYY-MM-DD') as month,
      coalesce(sum(cur), 0)::bigint as mrr,
      count(*) filter (where cur > 0)::int as paying,
      count(*) filter (where prev > 0)::int as "payingPrev",
      coalesce(sum(prev), 0)::bigint as "mrrPrev",
      coalesce(sum(cur) filter (where prev = 0 and cur > 0 and (s.first_paid_month is null or s.first_paid_month >= pr.month)), 0)::bigint as new,
      coalesce(sum(cur) filter (where prev = 0 and cur > 0 and s.first_paid_month < pr.month), 0)::bigint as reactivation,
      coalesce(sum(cur - prev) filter (where prev > 0 and cur > prev), 0)::bigint as expansion,
      coalesce(sum(prev - cur) filter (where cur > 0 and cur < prev), 0)::bigint as contraction,
      coalesce(sum(prev) filter (where prev > 0 and cur = 0), 0)::bigint as churn,
      count(*) filter (where prev > 0 and cur = 0)::int as churned
    from pairs pr left join subscriptions s on s.tenant_id = pr.tenant_id
    group by pr.month`);
  type Raw = Record<string, string | number> & { month: string };
  const byMonth = new Map(rowsOf<Raw>(res).map((r) => [r.month, r]));
  return months.map((month) => {
    const r = byMonth.get(month);
    const n = (k: string) => Number(r?.[k] ?? 0);
    const mrr = n('mrr');
    const paying = n('paying');
    return {
      month,
      mrrCents: mrr,
      payingTenants: paying,
      arpaCents: paying ? Math.round(mrr / paying) : 0,
      newCents: n('new'),
      expansionCents: n('expansion'),
      contractionCents: n('contraction'),
      churnCents: n('churn'),
      reactivationCents: n('reactivation'),
      netNewCents: mrr - n('mrrPrev'),
      churnedTenants: n('churned'),
      logoChurnRate: n('payingPrev') ? n('churned') / n('payingPrev') : null,
      revenueChurnRate: n('mrrPrev') ? (n('churn') + n('contraction')) / n('mrrPrev') : null,
    };
  });
}

/** Tenants per status, e.g. { trial: 3, active: 10, past_due: 1, suspended: 0, canceled: 0 }. */
export async function tenantsByStatus(tx: Tx): Promise<Record<string, number>> {
  const res = await tx.execute(sql`select status, count(*)::int as n from tenants group by status`);
  const out: Record<string, number> = { trial: 0, active: 0, past_due: 0, suspended: 0, canceled: 0 };
  for (const r of rowsOf<{ status: string; n: number }>(res)) out[r.status] = Number(r.n);
  return out;
}

export interface LlmHealth {
  /** Attempts per provider in the window. */
  byProvider: Record<string, { attempts: number; errors: number }>;
  attempts: number;
  /** Failed attempts / attempts (0-1). */
  errorRate: number;
}

/** LLM attempts per provider and the error rate over the last `windowMs` (from ai_usage). */
export async function llmHealth(tx: Tx, now: Date, windowMs = 86_400_000): Promise<LlmHealth> {
  const since = new Date(now.getTime() - windowMs);
  const res = await tx.execute(sql`
    select provider, count(*)::int as attempts, count(*) filter (where outcome <> 'ok')::int as errors
    from ai_usage where created_at >= ${since.toISOString()}::timestamptz group by provider`);
  const byProvider: LlmHealth['byProvider'] = {};
  let attempts = 0;
  let errors = 0;
  for (const r of rowsOf<{ provider: string; attempts: number; errors: number }>(res)) {
    byProvider[r.provider] = { attempts: Number(r.attempts), errors: Number(r.errors) };
    attempts += Number(r.attempts);
    errors += Number(r.errors);
  }
  return { byProvider, attempts, errorRate: attempts ? errors / attempts : 0 };
}

/** Channels per type/provider/status. */
export async function channelStatus(tx: Tx): Promise<Array<{ type: string; provider: string; status: string; count: number }>> {
  const res = await tx.execute(sql`
    select type, provider, status, count(*)::int as count from channels where type <> 'webchat'
    group by type, provider, status order by type, provider, status`);
  return rowsOf(res);
}
