/**
 * Tenants: create (with its web-chat channel and optional owner account), look up by slug.
 * Industries are the nine of the product seed; plans are seeded by migration 0001.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditLog, channels, tenants, tenantUsers, type TenantProfile } from '../../db/schema/index.ts';
import { hashPassword } from './passwords.ts';
import { AppError } from '../../errors.ts';

export type TenantRow = typeof tenants.$inferSelect;

export const INDUSTRIES = [
  'hotels',
  'restaurants',
  'real_estate',
  'car_dealers',
  'beauty',
  'medical',
  'tech',
  'law',
  'hardware',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export class TenantInputError extends AppError {
  constructor(message: string) {
    super('invalid_tenant', message);
  }
}
export class TenantConflictError extends AppError {
  constructor(message: string) {
    super('tenant_exists', message);
  }
}

export interface NewTenant {
  slug: string;
  name: string;
  industry: string;
  planId?: string;
  profile?: TenantProfile;
  owner?: { email: string; password: string; name?: string; phone?: string };
  assignedSalesRepId?: string;
  status?: TenantRow['status'];
}

/**
 * Create a tenant, its web-chat channel (address = slug) and, if given, its owner user —
 * all in one transaction, audited.
 * @throws TenantInputError (400) on a bad slug or industry; TenantConflictError (409) on a taken slug.
 */
export async function createTenant(db: Database, input: NewTenant, actor?: { type: string; id?: string }): Promise<TenantRow> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug))
    throw new TenantInputError('slug must be 2-63 lowercase letters, digits or dashes');
  if (!(INDUSTRIES as readonly string[]).includes(input.industry))
    throw new TenantInputError(`industry must be one of: ${INDUSTRIES.join(', ')}`);
  const passwordHash = input.owner ? await hashPassword(input.owner.password) : undefined;
  return db.withPlatform(async (tx) => {
    const [dup] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug));
    if (dup) throw new TenantConflictError(`tenant "${input.slug}" already exists`);
    const [tenant] = await tx
      .insert(tenants)
      .values({
        slug: input.slug,
        name: input.name,
        industry: input.industry,
        planId: input.planId ?? 'starter',
        profile: input.profile ?? {},
        assignedSalesRepId: input.assignedSalesRepId ?? null,
        status: input.status ?? 'trial',
      })
      .returning();
    await tx.insert(channels).values({ tenantId: tenant!.id, type: 'webchat', provider: 'webchat', address: input.slug });
    if (input.owner && passwordHash) {
      await tx.insert(tenantUsers).values({
        tenantId: tenant!.id,
        email: input.owner.email.toLowerCase(),
        passwordHash,
        role: 'owner',
        name: input.owner.name ?? null,
        phone: input.owner.phone ?? null,
      });
    }
    await tx.insert(auditLog).values({
      tenantId: tenant!.id,
      actorType: actor?.type ?? 'system',
      actorId: actor?.id ?? null,
      action: 'tenant.create',
      target: tenant!.id,
      data: { slug: input.slug, plan: input.planId ?? 'starter' },
    });
    return tenant!;
  });
}

/** A tenant by slug (platform context), or undefined. */
/** The slug of a tenant, read in that tenant's own context (RLS). */
export async function tenantSlug(db: Database, tenantId: string): Promise<string | undefined> {
  const [row] = await db.withTenant(tenantId, (tx) => tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId)));
  return row?.slug;
}

export async function findTenantBySlug(db: Database, slug: string): Promise<TenantRow | undefined> {
  return db.withPlatform(async (tx) => {
    const [row] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
    return row;
  });
}
