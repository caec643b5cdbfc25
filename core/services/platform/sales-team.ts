/**
 * The sales team (platform users with role `sales`): commission rates and territories, their
 * tenants, and the pipeline of sales leads (new → contacted → demo → negotiating → won / lost).
 * Platform context throughout; callers restrict a rep to their own rows by passing `repId`.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { SALES_LEAD_STAGES, platformUsers, salesLeads, salesRepSettings, type SalesLeadStage } from '../../db/schema/index.ts';
import { rowsOf, DEFAULT_RATES } from './commissions.ts';
import { monthOf } from './months.ts';
import { AppError } from '../../errors.ts';

export type LeadRow = typeof salesLeads.$inferSelect;
export type RepRow = typeof platformUsers.$inferSelect;

export class SalesInputError extends AppError {
  constructor(message: string) {
    super('invalid_sales_input', message);
  }
}
export class SalesNotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** The sales rep whose registered phone (E.164) is `phone`, or undefined. */
export async function findRepByPhone(tx: Tx, phone: string): Promise<RepRow | undefined> {
  const [row] = await tx
    .select()
    .from(platformUsers)
    .where(and(eq(platformUsers.phone, phone), eq(platformUsers.role, 'sales')));
  return row;
}

export interface RepSummary {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  firstPaymentRateBp: number;
  recurringRateBp: number;
  territories: string[];
  tenants: number;
  mrrCents: number;
  openLeads: number;
}

/** Every sales rep (or just `repId`) with rates, territories, tenant count, current MRR, open leads. */
export async function listReps(db: Database, now: Date, repId?: string): Promise<RepSummary[]> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select u.id, u.email, u.name, u.phone,
        coalesce(s.first_payment_rate_bp, ${DEFAULT_RATES.firstPaymentRateBp})::int as "firstPaymentRateBp",
        coalesce(s.recurring_rate_bp, ${DEFAULT_RATES.recurringRateBp})::int as "recurringRateBp",
        coalesce(s.territories, '{}') as territories,
        (select count(*) from tenants t where t.assigned_sales_rep_id = u.id)::int as tenants,
        (select coalesce(sum(rm.monthly_cents), 0) from revenue_months rm join tenants t on t.id = rm.tenant_id
          where t.assigned_sales_rep_id = u.id and rm.month = ${monthOf(now)}::date)::bigint as "mrrCents",
        (select count(*) from sales_leads l where l.rep_id = u.id and l.stage not in ('won', 'lost'))::int as "openLeads"
      from platform_users u left join sales_rep_settings s on s.user_id = u.id
      where u.role = 'sales' ${repId ? sql`and u.id = ${repId}` : sql``}
      order by u.email`);
    return rowsOf<RepSummary>(res).map((r) => ({ ...r, mrrCents: Number(r.mrrCents) }));
  });
}

/**
 * Set a rep's rates (basis points, 0-10000) and territories.
 * @throws SalesNotFoundError when `userId` is not a sales rep; SalesInputError on a bad rate.
 */
export async function setRepSettings(
  db: Database,
  userId: string,
  patch: { firstPaymentRateBp?: number; recurringRateBp?: number; territories?: string[] },
): Promise<void> {
  for (const v of [patch.firstPaymentRateBp, patch.recurringRateBp])
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 10_000)) throw new SalesInputError('rates are basis points, 0-10000');
  await db.withPlatform(async (tx) => {
    const [rep] = await tx.select().from(platformUsers).where(and(eq(platformUsers.id, userId), eq(platformUsers.role, 'sales')));
    if (!rep) throw new SalesNotFoundError('no such sales rep');
    await tx
      .insert(salesRepSettings)
      .values({ userId, ...patch })
      .onConflictDoUpdate({ target: salesRepSettings.userId, set: { ...patch, updatedAt: new Date() } });
  });
}

export interface RepClient {
  id: string;
  slug: string;
  name: string;
  status: string;
  planId: string;
  mrrCents: number;
  createdAt: string;
}

/** Tenants assigned to a rep, newest first, with this month's MRR. */
export async function listRepClients(db: Database, repId: string, now: Date): Promise<RepClient[]> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select t.id, t.slug, t.name, t.status, t.plan_id as "planId", coalesce(rm.monthly_cents, 0)::bigint as "mrrCents",
        to_char(t.created_at, 'YYYY-MM-DD') as "createdAt"
      from tenants t left join revenue_months rm on rm.tenant_id = t.id and rm.month = ${monthOf(now)}::date
      where t.assigned_sales_rep_id = ${repId} order by t.created_at desc`);
    return rowsOf<RepClient>(res).map((r) => ({ ...r, mrrCents: Number(r.mrrCents) }));
  });
}

/** Leads, newest activity first; only the rep's own when `repId` is given. */
export async function listLeads(db: Database, repId?: string, limit = 200): Promise<LeadRow[]> {
  return db.withPlatform((tx) =>
    tx
      .select()
      .from(salesLeads)
      .where(repId ? eq(salesLeads.repId, repId) : undefined)
      .orderBy(desc(salesLeads.updatedAt))
      .limit(limit),
  );
}

/** @throws SalesInputError when the name is empty or too long. */
export async function createLead(
  db: Database,
  input: { repId: string | null; name: string; phone?: string; industry?: string; notes?: string; stage?: SalesLeadStage },
): Promise<LeadRow> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new SalesInputError('lead name is required (max 200 characters)');
  const [row] = await db.withPlatform((tx) =>
    tx
      .insert(salesLeads)
      .values({ repId: input.repId, name, phone: input.phone?.trim() || null, industry: input.industry?.trim() || null, notes: input.notes ?? null, stage: input.stage ?? 'new' })
      .returning(),
  );
  return row!;
}

/**
 * Move a lead to `stage`. With `repId`, only that rep's lead.
 * @throws SalesInputError on an unknown stage; SalesNotFoundError when no such (own) lead.
 */
export async function setLeadStage(db: Database, id: string, stage: string, repId?: string): Promise<LeadRow> {
  if (!(SALES_LEAD_STAGES as readonly string[]).includes(stage)) throw new SalesInputError(`stage must be one of ${SALES_LEAD_STAGES.join(', ')}`);
  const [row] = await db.withPlatform((tx) =>
    tx
      .update(salesLeads)
      .set({ stage: stage as SalesLeadStage, updatedAt: new Date() })
      .where(and(eq(salesLeads.id, id), repId ? eq(salesLeads.repId, repId) : undefined))
      .returning(),
  );
  if (!row) throw new SalesNotFoundError('no such lead');
  return row;
}
