/**
 * Tenant analytics over a trailing window of `days` days, computed in SQL inside the tenant
 * transaction (RLS scopes every row to the tenant). Definitions:
 *  - messages: stored in the window; outbound excludes `canceled` (never sent) replies;
 *    byChannel counts both directions per channel type.
 *  - conversations.started: opened in the window; open / needsHuman / humanOwned: open
 *    conversations right now (a current snapshot, not windowed).
 *  - ai.replies: outbound messages written by a model (messages.provider set, `offline` = the
 *    honest fallback reply, counted in fallbackReplies too), byProvider by messages.provider;
 *    tokens and cost (USD micros) from ai_usage rows in the window (every attempt, failed included).
 *  - responseTime: for each inbound in the window, the first non-canceled outbound in the same
 *    conversation created after it; median and p90 of the gaps in ms (null when none).
 *  - leads.byStage: leads created in the window, by current stage.
 *  - bookings: created in the window, by status.
 *  - outcomes: share of conversations resolved by the AI without a human, escalations by reason
 *    code, guard interventions by kind (definitions in outcomes.ts).
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { outcomeFigures, type OutcomeFigures } from './outcomes.ts';

export interface TenantAnalytics {
  period: { from: string; to: string };
  messages: { inbound: number; outbound: number; byChannel: { sms: number; whatsapp: number; webchat: number } };
  conversations: { started: number; open: number; needsHuman: number; humanOwned: number };
  ai: { replies: number; byProvider: Record<string, number>; fallbackReplies: number; inputTokens: number; outputTokens: number; costUsdMicros: number };
  responseTime: { medianMs: number | null; p90Ms: number | null };
  leads: { byStage: Record<string, number> };
  bookings: { confirmed: number; canceled: number };
  outcomes: OutcomeFigures;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const rows = async (tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)).rows as Row[];

/** @param days window length, 1–365 (the route validates). */
export async function tenantAnalytics(tx: Tx, days: number): Promise<TenantAnalytics> {
  const [period] = await rows(tx, sql`select now() - make_interval(days => ${days}::int) as "from", now() as "to"`);
  const from = new Date(period!.from as string | Date).toISOString();
  const to = new Date(period!.to as string | Date).toISOString();
  const since = sql`${from}::timestamptz`;

  const msg = await rows(tx, sql`
    select m.direction, ch.type, count(*)::int as n from messages m join channels ch on ch.id = m.channel_id
    where m.created_at >= ${since} and not (m.direction = 'outbound' and m.status = 'canceled')
    group by 1, 2`);
  const messages = { inbound: 0, outbound: 0, byChannel: { sms: 0, whatsapp: 0, webchat: 0 } };
  for (const r of msg) {
    messages[r.direction as 'inbound' | 'outbound'] += num(r.n);
    messages.byChannel[r.type as 'sms'] += num(r.n);
  }

  const [conv] = await rows(tx, sql`
    select count(*) filter (where created_at >= ${since})::int as started,
           count(*) filter (where status = 'open')::int as open,
           count(*) filter (where status = 'open' and needs_human)::int as needs_human,
           count(*) filter (where status = 'open' and owner = 'human')::int as human_owned
    from conversations`);

  const byProviderRows = await rows(tx, sql`
    select provider, count(*)::int as n from messages
    where direction = 'outbound' and provider is not null and status <> 'canceled' and created_at >= ${since}
    group by 1`);
  const byProvider: Record<string, number> = {};
  for (const r of byProviderRows) byProvider[r.provider as string] = num(r.n);
  const [usage] = await rows(tx, sql`
    select coalesce(sum(input_tokens), 0)::bigint as input_tokens, coalesce(sum(output_tokens), 0)::bigint as output_tokens,
           coalesce(sum(cost_usd_micros), 0)::bigint as cost
    from ai_usage where created_at >= ${since}`);

  const [rt] = await rows(tx, sql`
    select percentile_cont(0.5) within group (order by gap_ms) as median, percentile_cont(0.9) within group (order by gap_ms) as p90
    from (
      select extract(epoch from (o.created_at - i.created_at)) * 1000 as gap_ms
      from messages i
      cross join lateral (
        select created_at from messages o
        where o.conversation_id = i.conversation_id and o.direction = 'outbound' and o.status <> 'canceled' and o.created_at > i.created_at
        order by o.created_at limit 1) o
      where i.direction = 'inbound' and i.created_at >= ${since}) gaps`);

  const leadRows = await rows(tx, sql`select stage, count(*)::int as n from leads where created_at >= ${since} group by 1`);
  const [book] = await rows(tx, sql`
    select count(*) filter (where status = 'confirmed')::int as confirmed, count(*) filter (where status = 'canceled')::int as canceled
    from bookings where created_at >= ${since}`);

  const outcomes = await outcomeFigures(tx, from);
  const ms = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    period: { from, to },
    messages,
    conversations: { started: num(conv!.started), open: num(conv!.open), needsHuman: num(conv!.needs_human), humanOwned: num(conv!.human_owned) },
    ai: {
      replies: Object.values(byProvider).reduce((a, b) => a + b, 0),
      byProvider,
      fallbackReplies: byProvider.offline ?? 0,
      inputTokens: num(usage!.input_tokens),
      outputTokens: num(usage!.output_tokens),
      costUsdMicros: num(usage!.cost),
    },
    responseTime: { medianMs: ms(rt?.median), p90Ms: ms(rt?.p90) },
    leads: { byStage: Object.fromEntries(leadRows.map((r) => [r.stage as string, num(r.n)])) },
    bookings: { confirmed: num(book!.confirmed), canceled: num(book!.canceled) },
    outcomes,
  };
}
