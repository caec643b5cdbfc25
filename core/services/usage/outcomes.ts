/**
 * Outcome figures of the AI over a window (issue 13), for one tenant (inside its transaction:
 * RLS scopes messages, conversations and guard_interventions; audit_log has no RLS and is
 * filtered by the transaction's tenant) or, with `platform`, over all tenants:
 *  - conversations: with a customer message in the window;
 *  - resolvedByAi: of those, the ones that got an AI reply, had no escalation and no staff
 *    message in the window, and are AI-owned now; `resolvedByAiShare` = resolvedByAi /
 *    conversations (0..1, null when there were none);
 *  - escalationsByReason: `conversation.escalate` audit entries in the window by reason code
 *    (escalation-reasons.ts; older entries mapped from their reason text);
 *  - guardInterventionsByKind: guard_interventions rows in the window by kind.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { reasonCode } from '../conversations/escalation-reasons.ts';

export interface OutcomeFigures {
  conversations: number;
  resolvedByAi: number;
  resolvedByAiShare: number | null;
  escalationsByReason: Record<string, number>;
  guardInterventionsByKind: Record<string, number>;
}

type Row = Record<string, unknown>;
const rows = async (tx: Tx, q: SQL) => (await tx.execute(q)).rows as Row[];

/** @param since window start (ISO 8601); @param platform all tenants (withPlatform transaction). */
export async function outcomeFigures(tx: Tx, since: string, platform = false): Promise<OutcomeFigures> {
  const from = sql`${since}::timestamptz`;
  const auditScope = platform ? sql`true` : sql`a.tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
  const [conv] = await rows(
    tx,
    sql`
    with active as (
      select distinct conversation_id as id from messages where direction = 'inbound' and created_at >= ${from}),
    escalated as (
      select distinct substr(a.target, 14)::uuid as id from audit_log a
      where a.action = 'conversation.escalate' and a.created_at >= ${from} and a.target like 'conversation:%' and ${auditScope})
    select count(*)::int as conversations,
      count(*) filter (where
        exists (select 1 from messages m where m.conversation_id = c.id and m.sender = 'ai' and m.direction = 'outbound' and m.status <> 'canceled' and m.created_at >= ${from})
        and not exists (select 1 from messages m where m.conversation_id = c.id and m.sender = 'staff' and m.created_at >= ${from})
        and c.id not in (select id from escalated)
        and c.owner = 'ai')::int as resolved
    from active join conversations c on c.id = active.id`,
  );
  const esc = await rows(
    tx,
    sql`select a.data->>'code' as code, a.data->>'reason' as reason, count(*)::int as n from audit_log a
      where a.action = 'conversation.escalate' and a.created_at >= ${from} and ${auditScope} group by 1, 2`,
  );
  const escalationsByReason: Record<string, number> = {};
  for (const r of esc) {
    const code = (r.code as string | null) ?? reasonCode(String(r.reason ?? ''));
    escalationsByReason[code] = (escalationsByReason[code] ?? 0) + Number(r.n);
  }
  const kinds = await rows(tx, sql`select kind, count(*)::int as n from guard_interventions where created_at >= ${from} group by 1`);
  const conversations = Number(conv?.conversations ?? 0);
  const resolvedByAi = Number(conv?.resolved ?? 0);
  return {
    conversations,
    resolvedByAi,
    resolvedByAiShare: conversations ? Number((resolvedByAi / conversations).toFixed(4)) : null,
    escalationsByReason,
    guardInterventionsByKind: Object.fromEntries(kinds.map((k) => [String(k.kind), Number(k.n)])),
  };
}
