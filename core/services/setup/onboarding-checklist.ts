/**
 * The console's first-run checklist, computed from what the tenant has (nothing stored):
 * profile = a description; hours = a weekly plan (or the older free-text hours); knowledge = one
 * document indexed (ready); prices = one price rule; channel = one enabled SMS or WhatsApp
 * channel (web chat comes with every tenant); test = one playground run (audit `playground.run`).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export type OnboardingKey = 'profile' | 'hours' | 'knowledge' | 'prices' | 'channel' | 'test';
export interface OnboardingStep {
  key: OnboardingKey;
  label: string;
  done: boolean;
}

const LABELS: Record<OnboardingKey, string> = {
  profile: 'Describe your business',
  hours: 'Set your opening hours',
  knowledge: 'Add what the AI should know (FAQ, policies)',
  prices: 'Add your prices and the lowest price you accept',
  channel: 'Connect an SMS number or WhatsApp',
  test: 'Test your agent',
};

export async function onboardingSteps(db: Database, tenantId: string): Promise<OnboardingStep[]> {
  const r = await db.withTenant(tenantId, (tx) =>
    tx.execute(sql`select
      coalesce(length(t.profile->>'description'), 0) > 0 as profile,
      (jsonb_array_length(coalesce(t.profile->'openingHours'->'weekly', '[]'::jsonb)) > 0 or coalesce(length(t.profile->>'hours'), 0) > 0) as hours,
      exists (select 1 from kb_documents where status = 'ready') as knowledge,
      exists (select 1 from price_rules where active) as prices,
      exists (select 1 from channels where enabled and type in ('sms', 'whatsapp')) as channel,
      exists (select 1 from audit_log where tenant_id = ${tenantId} and action = 'playground.run') as test
      from tenants t where t.id = ${tenantId}`),
  );
  const row = (r.rows[0] ?? {}) as Record<OnboardingKey, boolean>;
  return (Object.keys(LABELS) as OnboardingKey[]).map((key) => ({ key, label: LABELS[key], done: Boolean(row[key]) }));
}
