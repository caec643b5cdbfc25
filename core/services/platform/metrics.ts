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

/** Advisory lock key shared with the revenue_months triggers (migration 0007). */
const SUMMARY_LOCK = 7426007;

interface Summary {
  mrr: number;
  paying: number;
  payingPrev: number;
  mrrPrev: number;
  new: number;
  reactivation: number;
  expansion: number;
  contraction: number;
  churn: number;
  churned: number;
}

/**
 * Same as mrrSeries inside a platform transaction. Month figures come from mrr_month_summaries
 * when cached; missing months are computed under the summary lock and stored (any change to
 * revenue_months drops the affected cached months, see migration 0007).
 */
export async function mrrSeriesTx(tx: Tx, lastMonth: string, count: number): Promise<MonthMetrics[]> {
  const months = monthRange(lastMonth, count);
  let cached = await readSummaries(tx, months[0]!, lastMonth);
  if (months.some((m) => !cached.has(m))) {
    await tx.execute(sql`select pg_advisory_xact_lock(${SUMMARY_LOCK})`);
    cached = await readSummaries(tx, months[0]!, lastMonth);
    const missing = months.filter((m) => !cached.has(m));
    if (missing.length) {
      const computed = await computeSummaries(tx, missing[0]!, missing[missing.length - 1]!);
      for (const m of missing) {
        const v = computed.get(m) ?? emptySummary();
        cached.set(m, v);
        await tx.execute(sql`
          insert into mrr_month_summaries (month, mrr_cents, paying, paying_prev, mrr_prev_cents, new_cents, reactivation_cents,
            expansion_cents, contraction_cents, churn_cents, churned)
          values (${m}::date, ${v.mrr}, ${v.paying}, ${v.payingPrev}, ${v.mrrPrev}, ${v.new}, ${v.reactivation}, ${v.expansion},
            ${v.contraction}, ${v.churn}, ${v.churned})
          on conflict (month) do update set mrr_cents = excluded.mrr_cents, paying = excluded.paying, paying_prev = excluded.paying_prev,
            mrr_prev_cents = excluded.mrr_prev_cents, new_cents = excluded.new_cents, reactivation_cents = excluded.reactivation_cents,
            expansion_cents = excluded.expansion_cents, contraction_cents = excluded.contraction_cents, churn_cents = excluded.churn_cents,
            churned = excluded.churned, computed_at = now()`);
      }
    }
  }
  return months.map((month) => {
    const r = cached.get(month)!;
    return {
      month,
      mrrCents: r.mrr,
      payingTenants: r.paying,
      arpaCents: r.paying ? Math.round(r.mrr / r.paying) : 0,
      newCents: r.new,
      expansionCents: r.expansion,
      contractionCents: r.contraction,
      churnCents: r.churn,
      reactivationCents: r.reactivation,
      netNewCents: r.mrr - r.mrrPrev,
      churnedTenants: r.churned,
      logoChurnRate: r.payingPrev ? r.churned / r.payingPrev : null,
      revenueChurnRate: r.mrrPrev ? (r.churn + r.contraction) / r.mrrPrev : null,
    };
  });
}

const emptySummary = (): Summary => ({ mrr: 0, paying: 0, payingPrev: 0, mrrPrev: 0, new: 0, reactivation: 0, expansion: 0, contraction: 0, churn: 0, churned: 0 });

async function readSummaries(tx: Tx, first: string, last: string): Promise<Map<string, Summary>> {
  const res = await tx.execute(sql`
    select to_char(month, 'YYYY-MM-DD') as month, mrr_cents as mrr, paying, paying_prev as "payingPrev", mrr_prev_cents as "mrrPrev",
      new_cents as new, reactivation_cents as reactivation, expansion_cents as expansion, contraction_cents as contraction,
      churn_cents as churn, churned
    from mrr_month_summaries where month between ${first}::date and ${last}::date`);
  return toSummaries(res);
}

function toSummaries(res: unknown): Map<string, Summary> {
  const out = new Map<string, Summary>();
  for (const r of rowsOf<Record<string, string | number>>(res)) {
    const n = (k: string) => Number(r[k] ?? 0);
    out.set(String(r.month), {
      mrr: n('mrr'), paying: n('paying'), payingPrev: n('payingPrev'), mrrPrev: n('mrrPrev'), new: n('new'), reactivation: n('reactivation'),
      expansion: n('expansion'), contraction: n('contraction'), churn: n('churn'), churned: n('churned'),
    });
  }
  return out;
}

/** Figures for every month in [first, last] from revenue_months (months with no rows are absent). */
async function computeSummaries(tx: Tx, first: string, last: string): Promise<Map<string, Summary>> {
  const res = await tx.execute(sql`
    with rm as (
      select tenant_id, month, monthly_cents from revenue_months
      where month >= ${addMonths(first, -1)}::date and month <= ${last}::date
    ), pairs as (
      select coalesce(c.month, (p.month + interval '1 month')::date) as month,
             coalesce(c.tenant_id, p.tenant_id) as tenant_id,
             coalesce(p.monthly_cents, 0) as prev, coalesce(c.monthly_cents, 0) as cur
      from (select * from rm where month >= ${first}::date) c
      full join (select * from rm where month < ${last}::date) p
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
  return toSummaries(res);
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
