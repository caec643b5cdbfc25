/**
 * A tenant's own settings for the tenant API: name, profile (description, hours, prices, location,
 * languages… — what the agent's prompt is built from) and free-form settings. Updates merge
 * shallowly (a key set to null is removed) and are audited: settings.update always, prices.update
 * too when the price list changed.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { tenants, type TenantProfile } from '../../db/schema/index.ts';
import { auditTx, type ActorType } from './audit.ts';

export interface TenantSettingsView {
  id: string;
  slug: string;
  name: string;
  industry: string;
  planId: string;
  status: string;
  profile: TenantProfile;
  settings: Record<string, unknown>;
}

const view = (t: typeof tenants.$inferSelect): TenantSettingsView => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  industry: t.industry,
  planId: t.planId,
  status: t.status,
  profile: t.profile,
  settings: t.settings,
});

export async function getTenantSettings(db: Database, tenantId: string): Promise<TenantSettingsView | undefined> {
  const [t] = await db.withTenant(tenantId, (tx) => tx.select().from(tenants).where(eq(tenants.id, tenantId)));
  return t && view(t);
}

export interface SettingsPatch {
  name?: string;
  profile?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** True when the patch would change the tenant's price list (needs the `prices` permission). */
export const touchesPrices = (p: SettingsPatch) => !!p.profile && 'prices' in p.profile;

/** Apply a patch in one transaction, audited. @returns the new view. */
export async function updateTenantSettings(
  db: Database,
  tenantId: string,
  patch: SettingsPatch,
  actor: { type: ActorType; id: string; ip?: string },
): Promise<TenantSettingsView> {
  return db.withTenant(tenantId, async (tx) => {
    const [cur] = await tx.select().from(tenants).where(eq(tenants.id, tenantId)).for('update');
    const merge = <T extends Record<string, unknown>>(a: T, b?: Record<string, unknown>) =>
      b ? (Object.fromEntries(Object.entries({ ...a, ...b }).filter(([, v]) => v !== null)) as T) : a;
    const profile = merge(cur!.profile, patch.profile);
    const [row] = await tx
      .update(tenants)
      .set({ ...(patch.name ? { name: patch.name } : {}), profile, settings: merge(cur!.settings, patch.settings) })
      .where(eq(tenants.id, tenantId))
      .returning();
    const base = { tenantId, actorType: actor.type, actorId: actor.id, target: tenantId, ip: actor.ip };
    await auditTx(tx, { ...base, action: 'settings.update', data: { name: patch.name, profile: Object.keys(patch.profile ?? {}), settings: Object.keys(patch.settings ?? {}) } });
    if (touchesPrices(patch) && JSON.stringify(cur!.profile.prices ?? null) !== JSON.stringify(profile.prices ?? null))
      await auditTx(tx, { ...base, action: 'prices.update', data: { from: cur!.profile.prices ?? null, to: profile.prices ?? null } });
    return view(row!);
  });
}
