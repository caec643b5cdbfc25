/**
 * The platform owner's overview in one call: MRR for the last 12 months with movements, headline
 * MRR / ARR / ARPA / paying tenants for the current month, tenants by status, and platform health
 * (queue depth, LLM split and error rate over 24 h, channel status). Money in KES cents.
 */
import type { Database } from '../../db/client.ts';
import { channelStatus, llmHealth, mrrSeriesTx, tenantsByStatus, type MonthMetrics } from './metrics.ts';
import { monthOf } from './months.ts';
import { outcomeFigures, type OutcomeFigures } from '../usage/outcomes.ts';

export interface PlatformOverview {
  month: string;
  mrrCents: number;
  arrCents: number;
  arpaCents: number;
  payingTenants: number;
  series: MonthMetrics[];
  tenantsByStatus: Record<string, number>;
  health: {
    queues: Record<string, number>;
    llm: Awaited<ReturnType<typeof llmHealth>>;
    channels: Awaited<ReturnType<typeof channelStatus>>;
    /** AI outcomes over all tenants, last 30 days (core/services/usage/outcomes.ts). */
    outcomes: OutcomeFigures;
  };
}

/** @param queueCounts waiting+delayed+active jobs per queue (QueueDriver.counts), if available. */
export async function platformOverview(db: Database, now: Date, queueCounts?: () => Promise<Record<string, number>>): Promise<PlatformOverview> {
  const month = monthOf(now);
  const [data, queues] = await Promise.all([
    db.withPlatform(async (tx) => ({
      series: await mrrSeriesTx(tx, month, 12),
      tenantsByStatus: await tenantsByStatus(tx),
      llm: await llmHealth(tx, now),
      channels: await channelStatus(tx),
      outcomes: await outcomeFigures(tx, new Date(now.getTime() - 30 * 86_400_000).toISOString(), true),
    })),
    queueCounts ? queueCounts().catch(() => ({})) : Promise.resolve({}),
  ]);
  const cur = data.series[data.series.length - 1]!;
  return {
    month,
    mrrCents: cur.mrrCents,
    arrCents: cur.mrrCents * 12,
    arpaCents: cur.arpaCents,
    payingTenants: cur.payingTenants,
    series: data.series,
    tenantsByStatus: data.tenantsByStatus,
    health: { queues, llm: data.llm, channels: data.channels, outcomes: data.outcomes },
  };
}
