/**
 * LLM usage report over `ai_usage` (platform context: all tenants): attempts, successes,
 * tokens and estimated cost (USD micros) per provider and per tenant since a point in time.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { aiUsage, tenants } from '../../db/schema/index.ts';

export interface UsageSplit {
  /** Every attempt, including failures and breaker skips. */
  attempts: number;
  /** Attempts that produced the reply (outcome 'ok'). */
  ok: number;
  /** Share (0..1) of all replies (ok attempts) in the report that this row produced. */
  replyShare: number;
  inputTokens: number;
  outputTokens: number;
  costUsdMicros: number;
}

export interface LlmUsageReport {
  since: string;
  until: string;
  totals: UsageSplit;
  /** provider → split */
  byProvider: Record<string, UsageSplit>;
  byTenant: Array<UsageSplit & { tenantId: string; slug: string; name: string; byProvider: Record<string, UsageSplit> }>;
}

const empty = (): UsageSplit => ({ attempts: 0, ok: 0, replyShare: 0, inputTokens: 0, outputTokens: 0, costUsdMicros: 0 });
function add(into: UsageSplit, r: Omit<UsageSplit, 'replyShare'>): void {
  into.attempts += r.attempts;
  into.ok += r.ok;
  into.inputTokens += r.inputTokens;
  into.outputTokens += r.outputTokens;
  into.costUsdMicros += r.costUsdMicros;
}

/** Usage since `since` (default 24 h before now), ordered by tenant cost, highest first. */
export async function llmUsageReport(db: Database, since: Date, until = new Date()): Promise<LlmUsageReport> {
  const rows = await db.withPlatform((tx) =>
    tx
      .select({
        tenantId: aiUsage.tenantId,
        slug: tenants.slug,
        name: tenants.name,
        provider: aiUsage.provider,
        attempts: sql<number>`count(*)::int`,
        ok: sql<number>`(count(*) filter (where ${aiUsage.outcome} = 'ok'))::int`,
        inputTokens: sql<string>`coalesce(sum(${aiUsage.inputTokens}), 0)::bigint`,
        outputTokens: sql<string>`coalesce(sum(${aiUsage.outputTokens}), 0)::bigint`,
        costUsdMicros: sql<string>`coalesce(sum(${aiUsage.costUsdMicros}), 0)::bigint`,
      })
      .from(aiUsage)
      .innerJoin(tenants, eq(tenants.id, aiUsage.tenantId))
      .where(and(gte(aiUsage.createdAt, since), sql`${aiUsage.createdAt} <= ${until.toISOString()}`))
      .groupBy(aiUsage.tenantId, tenants.slug, tenants.name, aiUsage.provider),
  );
  const totals = empty();
  const byProvider: Record<string, UsageSplit> = {};
  const tenantMap = new Map<string, LlmUsageReport['byTenant'][number]>();
  for (const r of rows) {
    const n = {
      attempts: Number(r.attempts),
      ok: Number(r.ok),
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      costUsdMicros: Number(r.costUsdMicros),
    };
    add(totals, n);
    add((byProvider[r.provider] ??= empty()), n);
    let t = tenantMap.get(r.tenantId);
    if (!t) tenantMap.set(r.tenantId, (t = { tenantId: r.tenantId, slug: r.slug, name: r.name, ...empty(), byProvider: {} }));
    add(t, n);
    add((t.byProvider[r.provider] ??= empty()), n);
  }
  const share = (s: UsageSplit) => (s.replyShare = totals.ok ? s.ok / totals.ok : 0);
  share(totals);
  Object.values(byProvider).forEach(share);
  for (const t of tenantMap.values()) {
    share(t);
    // Within a tenant, the provider share is of that tenant's replies.
    for (const s of Object.values(t.byProvider)) s.replyShare = t.ok ? s.ok / t.ok : 0;
  }
  const byTenant = [...tenantMap.values()].sort((a, b) => b.costUsdMicros - a.costUsdMicros || b.attempts - a.attempts);
  return { since: since.toISOString(), until: until.toISOString(), totals, byProvider, byTenant };
}
