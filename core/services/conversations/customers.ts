/**
 * Customers of one tenant for the tenant API: list (newest activity first, optional search on
 * name/handle/phone), detail with its conversations, and a small update (name, language, profile
 * fields). Always inside the caller's tenant transaction: another tenant's id simply is not found.
 */
import { and, desc, eq, ilike, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { conversations, customers } from '../../db/schema/index.ts';
import { auditTx, type ActorType } from '../tenancy/audit.ts';
import { containsPattern } from '../../db/like.ts';

export type CustomerRow = typeof customers.$inferSelect;

/** Up to `limit` customers (default 50, max 200), `offset` for paging; `q` matches name/handle/phone. */
export async function listCustomers(db: Database, tenantId: string, opts: { q?: string; limit?: number; offset?: number } = {}): Promise<CustomerRow[]> {
  const like = containsPattern(opts.q);
  return db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), like ? or(ilike(customers.name, like), ilike(customers.handle, like), ilike(customers.phone, like)) : undefined))
      .orderBy(desc(customers.lastSeenAt))
      .limit(Math.min(opts.limit ?? 50, 200))
      .offset(opts.offset ?? 0),
  );
}

/** A customer and its conversations (newest first), or undefined when not in this tenant. */
export async function getCustomer(db: Database, tenantId: string, id: string) {
  return db.withTenant(tenantId, async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, id));
    if (!customer) return undefined;
    const convs = await tx
      .select({ id: conversations.id, channelId: conversations.channelId, status: conversations.status, owner: conversations.owner, lastMessageAt: conversations.lastMessageAt })
      .from(conversations)
      .where(eq(conversations.customerId, id))
      .orderBy(desc(conversations.lastMessageAt))
      .limit(100);
    return { customer, conversations: convs };
  });
}

export interface CustomerPatch {
  name?: string | null;
  languagePreference?: 'en' | 'sw' | 'sheng';
  /** Merged into the existing profile (shallow); a key set to null is removed. */
  profile?: Record<string, unknown>;
}

/** Update a customer, audited as customer.update. @returns the new row, or undefined when not found. */
export async function updateCustomer(
  db: Database,
  tenantId: string,
  id: string,
  patch: CustomerPatch,
  actor: { type: ActorType; id: string; ip?: string },
): Promise<CustomerRow | undefined> {
  return db.withTenant(tenantId, async (tx) => {
    const [cur] = await tx.select().from(customers).where(eq(customers.id, id)).for('update');
    if (!cur) return undefined;
    const profile = patch.profile ? dropNulls({ ...cur.profile, ...patch.profile }) : cur.profile;
    const [row] = await tx
      .update(customers)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.languagePreference ? { languagePreference: patch.languagePreference } : {}),
        profile,
      })
      .where(eq(customers.id, id))
      .returning();
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, action: 'customer.update', target: id, data: { fields: Object.keys(patch) }, ip: actor.ip });
    return row;
  });
}

function dropNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}
