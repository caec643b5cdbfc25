/**
 * Onboard a business on behalf of a sales rep (the sales assistant's `/onboard`): validate, create
 * the tenant in trial with its web-chat channel and owner account (core/services/tenancy/tenants.ts),
 * assign the rep, start the subscription's trial, mark the rep's matching lead as won, and mint the
 * owner's invite link (the owner stays 'invited' until they open it; the sales assistant sends it
 * to them by SMS and email, agents/sales/owner-invite.ts). Either everything is created or nothing: all writes are one transaction
 * (`db.withPlatform`; a transaction-bound db from core/db/in-transaction.ts joins the caller's).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { inTransaction } from '../../db/in-transaction.ts';
import { plans, salesLeads, tenantUsers } from '../../db/schema/index.ts';
import { randomToken } from '../../crypto.ts';
import { createTenant, INDUSTRIES, TenantConflictError, type TenantRow } from '../tenancy/tenants.ts';
import { inviteLink } from '../tenancy/invites-tenant.ts';
import { makeInviteToken } from './invites.ts';
import { DEFAULT_POLICY, ensureSubscriptions } from './subscriptions.ts';
import { SalesInputError } from './sales-team.ts';

export interface OnboardInput {
  business: string;
  industry: string;
  /** E.164 */
  ownerPhone: string;
  ownerEmail: string;
  plan: string;
}

export interface OnboardResult {
  tenant: TenantRow;
  webchatUrl: string;
  /** The owner's one-time invite: `/app/invite?token=…&tenant=SLUG` (core/services/tenancy/invites-tenant.ts). */
  inviteUrl: string;
  trialEndsAt: Date;
  /** Where the invite goes (normalised): the owner's email and E.164 phone. */
  owner: { email: string; phone: string };
}

const SYNONYMS: Record<string, string> = {
  hotel: 'hotels', restaurant: 'restaurants', cafe: 'restaurants', 'real estate': 'real_estate', realestate: 'real_estate',
  property: 'real_estate', 'car dealer': 'car_dealers', cars: 'car_dealers', salon: 'beauty', spa: 'beauty', barber: 'beauty',
  clinic: 'medical', hospital: 'medical', pharmacy: 'medical', electronics: 'tech', phones: 'tech', lawyer: 'law',
  'law firm': 'law', legal: 'law', hardware: 'hardware',
};

/** Map free wording ("Hotel", "law firm", "salon") to one of the nine industries, or undefined. */
export function normaliseIndustry(raw: string): string | undefined {
  const s = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const under = s.replace(/ /g, '_');
  for (const c of [under, `${under}s`, SYNONYMS[s]]) if (c && (INDUSTRIES as readonly string[]).includes(c)) return c;
  return undefined;
}

export function slugify(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return s.length >= 2 ? s : `biz-${s || 'x'}`;
}

/**
 * @throws SalesInputError (400) naming the bad field (industry, phone, email, plan, business).
 */
export async function onboardBusiness(
  db: Database,
  opts: { secretKey: string; publicUrl: string; now?: Date },
  repId: string,
  input: OnboardInput,
): Promise<OnboardResult> {
  const business = input.business.trim();
  if (business.length < 2 || business.length > 120) throw new SalesInputError('business name must be 2-120 characters');
  const industry = normaliseIndustry(input.industry);
  if (!industry) throw new SalesInputError(`industry must be one of: ${INDUSTRIES.join(', ')}`);
  const phone = input.ownerPhone.replace(/[\s-]/g, '');
  if (!/^\+[1-9]\d{6,14}$/.test(phone)) throw new SalesInputError('owner phone must be E.164, e.g. +254712345678');
  const email = input.ownerEmail.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new SalesInputError('owner email is not valid');
  const planId = input.plan.trim().toLowerCase();
  const now = opts.now ?? new Date();

  // One transaction: a failure anywhere leaves no tenant without its trial, and a caller that
  // passes a transaction-bound db (inTransaction) commits the onboarding with its own writes.
  const { tenant, owner, trialEndsAt } = await db.withPlatform(async (tx) => {
    const [plan] = await tx.select().from(plans).where(eq(plans.id, planId));
    if (!plan) throw new SalesInputError('plan must be one of: starter, professional, growth');
    const inTx = inTransaction(db, tx);
    const base = slugify(business);
    let created: TenantRow | undefined;
    for (let i = 0; !created; i++) {
      const slug = i === 0 ? base : `${base.slice(0, 44)}-${i < 5 ? i + 1 : randomToken().slice(0, 4).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      try {
        created = await createTenant(
          inTx,
          { slug, name: business, industry, planId, status: 'trial', assignedSalesRepId: repId, owner: { email, password: randomToken(), phone } },
          { type: 'platform_user', id: repId },
        );
      } catch (err) {
        if (!(err instanceof TenantConflictError) || i > 8) throw err;
      }
    }
    await ensureSubscriptions(tx, DEFAULT_POLICY, created.id);
    const ends = new Date(now.getTime() + DEFAULT_POLICY.trialMs);
    await tx.execute(sql`update subscriptions set trial_ends_at = ${ends.toISOString()}::timestamptz where tenant_id = ${created.id}`);
    await tx
      .update(salesLeads)
      .set({ stage: 'won', tenantId: created.id, updatedAt: now })
      .where(and(eq(salesLeads.repId, repId), eq(salesLeads.phone, phone)));
    // The owner signs in only after choosing a password through the invite (migration 0014).
    const [u] = await tx
      .update(tenantUsers)
      .set({ status: 'invited', invitedAt: now })
      .where(and(eq(tenantUsers.tenantId, created.id), eq(tenantUsers.role, 'owner')))
      .returning();
    return { tenant: created, owner: u!, trialEndsAt: ends };
  });
  const token = makeInviteToken(opts.secretKey, owner.id, owner.passwordHash);
  return {
    tenant,
    webchatUrl: `${opts.publicUrl}/chat/${tenant.slug}`,
    inviteUrl: inviteLink(opts.publicUrl, token, tenant.slug),
    trialEndsAt,
    owner: { email, phone },
  };
}
