/**
 * Stores a turn's guard interventions (guard_interventions, migration 0011): what the answer
 * guard, the turn limits and the channel renderer changed. Written once per answered inbound
 * (the unique index on inbound message + kind + detail makes a replay store nothing new).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../core/db/client.ts';

export async function recordInterventions(
  db: Database,
  tenantId: string,
  at: { conversationId: string; inboundMessageId: string },
  list: ReadonlyArray<{ kind: string; detail: string }>,
): Promise<void> {
  if (!list.length) return;
  await db.withTenant(tenantId, async (tx) => {
    for (const i of list)
      await tx.execute(sql`insert into guard_interventions (tenant_id, conversation_id, inbound_message_id, kind, detail)
        values (${tenantId}, ${at.conversationId}, ${at.inboundMessageId}, ${i.kind.slice(0, 80)}, ${i.detail.slice(0, 500)})
        on conflict do nothing`);
  });
}
