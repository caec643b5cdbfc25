/**
 * Tenants as billing sees them (platform context): the admin list (plan, status, MRR, assigned
 * rep, last activity) and one tenant's billing detail (subscription, payments, this month's usage
 * and AI cost against its fee). `scope` narrows a sales rep to their own tenants; a tenant outside
 * the scope reads as not found. Money in KES cents; AI cost as recorded in ai_usage (USD micros)
 * and converted at KES_PER_USD for the comparison.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { rowsOf } from './commissions.ts';
import { addMonths, monthOf } from './months.ts';
import { containsPattern } from '../../db/like.ts';

/** Approximate exchange rate used only to compare AI cost (USD) with the fee (KES). */
export const KES_PER_USD = 129;

export type BillingScope = { kind: 'all' } | { kind: 'assigned'; userId: string };

export interface TenantBillingRow {
  id: string;
  slug: string;
  name: string;
  industry: string;
  status: string;
  planId: string;
  mrrCents: number;
  repId: string | null;
  repName: string | null;
  lastActivityAt: string | null;
  createdAt: string;
}

export interface TenantBillingQuery {
  q?: string;
  status?: string;
  plan?: string;
  repId?: string;
  limit?: number;
  offset?: number;
}

/** Tenants in scope, newest first, filtered; at most 500 per page. @returns rows and the total. */
export async function listTenantBilling(db: Database, scope: BillingScope, query: TenantBillingQuery, now: Date): Promise<{ tenants: TenantBillingRow[]; total: number }> {
  const like = containsPattern(query.q);
  const where = sql.join(
    [
      sql`true`,
      scope.kind === 'assigned' ? sql`t.assigned_sales_rep_id = ${scope.userId}` : undefined,
      query.status ? sql`t.status = ${query.status}` : undefined,
      query.plan ? sql`t.plan_id = ${query.plan}` : undefined,
      query.repId ? sql`t.assigned_sales_rep_id = ${query.repId}` : undefined,
      like ? sql`(t.name ilike ${like} or t.slug ilike ${like})` : undefined,
    ].filter(Boolean) as ReturnType<typeof sql>[],
    sql` and `,
  );
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select t.id, t.slug, t.name, t.industry, t.status, t.plan_id as "planId",
        coalesce(rm.monthly_cents, 0)::bigint as "mrrCents",
        t.assigned_sales_rep_id as "repId", coalesce(u.name, u.email) as "repName",
        (select max(c.last_message_at) from conversations c where c.tenant_id = t.id) as "lastActivityAt",
        t.created_at as "createdAt", count(*) over ()::int as total
      from tenants t
      left join revenue_months rm on rm.tenant_id = t.id and rm.month = ${monthOf(now)}::date
      left join platform_users u on u.id = t.assigned_sales_rep_id
      where ${where}
      order by t.created_at desc
      limit ${Math.min(query.limit ?? 100, 500)} offset ${query.offset ?? 0}`);
    const rows = rowsOf<TenantBillingRow & { total: number; lastActivityAt: unknown; createdAt: unknown }>(res);
    return {
      total: rows[0]?.total ?? 0,
      tenants: rows.map(({ total: _t, ...r }) => ({
        ...r,
        mrrCents: Number(r.mrrCents),
        lastActivityAt: r.lastActivityAt ? new Date(r.lastActivityAt as string).toISOString() : null,
        createdAt: new Date(r.createdAt as string).toISOString(),
      })),
    };
  });
}

/** One tenant's subscription, last 24 payments, MRR history (12 months) and this month's usage; undefined when out of scope. */
export async function tenantBillingDetail(db: Database, scope: BillingScope, id: string, now: Date) {
  return db.withPlatform(async (tx) => {
    const scoped = scope.kind === 'assigned' ? sql`and t.assigned_sales_rep_id = ${scope.userId}` : sql``;
    const [tenant] = rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select t.id, t.slug, t.name, t.status, t.plan_id as "planId", p.monthly_fee_cents::bigint as "feeCents",
          s.status as "subscriptionStatus", s.trial_ends_at as "trialEndsAt", s.current_period_end as "currentPeriodEnd",
          s.past_due_since as "pastDueSince", t.assigned_sales_rep_id as "repId"
        from tenants t join plans p on p.id = t.plan_id left join subscriptions s on s.tenant_id = t.id
        where t.id = ${id} ${scoped}`),
    );
    if (!tenant) return undefined;
    const month = monthOf(now);
    const payments = rowsOf(
      await tx.execute(sql`
        select id, reference, method, plan_id as "planId", amount_cents::bigint as "amountCents", period_months as "periodMonths",
          period_start as "periodStart", period_end as "periodEnd", paid_at as "paidAt"
        from platform_revenue where tenant_id = ${id} order by paid_at desc limit 24`),
    );
    const mrr = rowsOf<{ month: string; cents: string }>(
      await tx.execute(sql`
        select to_char(month, 'YYYY-MM-DD') as month, monthly_cents::text as cents from revenue_months
        where tenant_id = ${id} and month > ${addMonths(month, -12)}::date order by month`),
    );
    const [usage] = rowsOf<Record<string, string>>(
      await tx.execute(sql`select
        (select count(*) from messages where tenant_id = ${id} and direction = 'inbound' and created_at >= ${month}::date)::int as "messagesIn",
        (select count(*) from messages where tenant_id = ${id} and direction = 'outbound' and created_at >= ${month}::date)::int as "messagesOut",
        count(*)::int as "aiCalls", coalesce(sum(input_tokens + output_tokens), 0)::bigint as "aiTokens",
        coalesce(sum(cost_usd_micros), 0)::bigint as "aiCostUsdMicros"
        from ai_usage where tenant_id = ${id} and created_at >= ${month}::date`),
    );
    const costUsdMicros = Number(usage!.aiCostUsdMicros);
    const aiCostKesCents = Math.round((costUsdMicros / 1e6) * KES_PER_USD * 100);
    const feeCents = Number(tenant.feeCents);
    return {
      tenant: { ...tenant, feeCents },
      payments: payments.map((p: any) => ({ ...p, amountCents: Number(p.amountCents) })),
      mrrHistory: mrr.map((m) => ({ month: m.month, mrrCents: Number(m.cents) })),
      usage: {
        month,
        messagesIn: Number(usage!.messagesIn),
        messagesOut: Number(usage!.messagesOut),
        aiCalls: Number(usage!.aiCalls),
        aiTokens: Number(usage!.aiTokens),
        aiCostUsdMicros: costUsdMicros,
        aiCostKesCents,
        feeCents,
        /** AI cost as a fraction of the monthly fee (null for a free plan). */
        aiCostShareOfFee: feeCents ? aiCostKesCents / feeCents : null,
      },
    };
  });
}
