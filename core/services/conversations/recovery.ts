/**
 * Recovery sweep (at start and every few minutes): work the database says is unfinished but the
 * queue may not know about — always the case after a restart in zero-setup mode (the inline queue
 * lives in memory), and after a lost enqueue or a job that failed for good in production.
 * Inbound messages still `received` and outbound messages still `queued` are returned for
 * re-enqueueing; jobIds (= message ids) make that idempotent. Outbound messages stuck in
 * `sending` (the process died mid-send) are settled as `failed`: whether the provider got them is
 * unknown, and sending again could deliver twice.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export interface PendingWork {
  inbound: Array<{ tenantId: string; messageId: string }>;
  outbound: Array<{ tenantId: string; messageId: string }>;
}

/** @param olderThanMs skip messages younger than this (their jobs are most likely in flight). */
export async function findPendingWork(db: Database, olderThanMs = 0, limit = 5000): Promise<PendingWork> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      select tenant_id, id, direction from messages
      where ((direction = 'inbound' and status = 'received') or (direction = 'outbound' and status = 'queued'))
        and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
      order by created_at limit ${limit}`);
    const rows = res.rows as Array<{ tenant_id: string; id: string; direction: string }>;
    const pick = (d: string) => rows.filter((r) => r.direction === d).map((r) => ({ tenantId: r.tenant_id, messageId: r.id }));
    return { inbound: pick('inbound'), outbound: pick('outbound') };
  });
}

/**
 * Settle outbound messages that can no longer be delivered sensibly as `failed`: `sending` for
 * longer than `olderThanMs`, and `queued` for longer than `expireQueuedMs` (a reply a day late —
 * e.g. a WhatsApp number logged out meanwhile — would confuse more than help, and old rows must
 * not crowd newer work out of the sweep's batch). Times by creation. @returns how many.
 */
export async function failStaleSending(db: Database, olderThanMs = 30 * 60_000, expireQueuedMs = 24 * 3600_000): Promise<number> {
  return db.withPlatform(async (tx) => {
    const res = await tx.execute(sql`
      update messages set status = 'failed',
        error = case when status = 'sending' then 'delivery interrupted: unknown whether the provider received it'
                     else 'expired: not delivered within a day (channel unavailable)' end
      where direction = 'outbound'
        and ((status = 'sending' and created_at < now() - make_interval(secs => ${olderThanMs / 1000}))
          or (status = 'queued' and created_at < now() - make_interval(secs => ${expireQueuedMs / 1000})))
      returning id`);
    return res.rows.length;
  });
}
