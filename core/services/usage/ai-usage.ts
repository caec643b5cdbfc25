/** Accounting of every LLM attempt into `ai_usage` (tenant-scoped). Tokens in tokens, latency in ms. */
import type { Database } from '../../db/client.ts';
import { aiUsage } from '../../db/schema/index.ts';

export interface UsageRecord {
  tenantId: string;
  conversationId?: string;
  provider: string;
  model: string;
  class: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** 'ok' or the LlmErrorKind of the failure. */
  outcome: string;
  fallbackDepth: number;
  costUsdMicros: number;
}

export async function recordUsage(db: Database, rec: UsageRecord): Promise<void> {
  await db.withTenant(rec.tenantId, (tx) =>
    tx.insert(aiUsage).values({ ...rec, conversationId: rec.conversationId ?? null, latencyMs: Math.round(rec.latencyMs) }),
  );
}
