/**
 * Optional auto-handback: when a tenant sets `settings.autoHandbackMinutes` (> 0; fractions
 * allowed), a conversation a person took over goes back to the AI once nobody on the staff side
 * has acted on it for that long (idle = since the later of the takeover and the last staff
 * message). Driven by one delayed `auto_handback` job per ownership version: scheduled when a
 * person takes over or is assigned; when it fires early (staff were active) it re-schedules
 * itself for the rest of the window; any newer ownership change makes it a no-op.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { EventBus } from '../../events.ts';
import type { JobQueue } from '../../queue.ts';
import { autoHandbackMs, handback } from './ownership.ts';

export interface AutoHandbackDeps {
  db: Database;
  bus: EventBus;
  queue: JobQueue;
}

export { autoHandbackMs, scheduleAutoHandback } from './ownership.ts';

/**
 * The `auto_handback` job: hand back if still human-owned under `ownerVersion` and idle for the
 * tenant's window; else re-schedule for the remaining time (or stop).
 */
export async function autoHandbackIfIdle(
  deps: AutoHandbackDeps,
  job: { tenantId: string; conversationId: string; ownerVersion: number },
): Promise<'handed_back' | 'rescheduled' | 'stale'> {
  const info = await deps.db.withTenant(job.tenantId, async (tx) => {
    const res = await tx.execute(sql`
      select c.owner, c.owner_version, t.settings,
        extract(epoch from (now() - greatest(c.owner_changed_at,
          (select max(created_at) from messages m where m.conversation_id = c.id and m.sender = 'staff')))) * 1000 as idle_ms
      from conversations c join tenants t on t.id = c.tenant_id where c.id = ${job.conversationId}`);
    return res.rows[0] as { owner: string; owner_version: number; settings: Record<string, unknown>; idle_ms: number | null } | undefined;
  });
  const windowMs = autoHandbackMs(info?.settings);
  if (!info || !windowMs || info.owner !== 'human' || info.owner_version !== job.ownerVersion) return 'stale';
  const idle = Number(info.idle_ms ?? windowMs);
  if (idle + 50 < windowMs) {
    const left = Math.ceil(windowMs - idle);
    await deps.queue.enqueue('auto_handback', job, { jobId: `${job.conversationId}-ah-${job.ownerVersion}-${Date.now()}`, delayMs: left });
    return 'rescheduled';
  }
  // expectVersion: a takeover that commits between the check above and this call wins.
  const s = await handback(deps, job.tenantId, job.conversationId, {}, { auto: true, idleMs: Math.round(idle) }, job.ownerVersion);
  return s.changed ? 'handed_back' : 'stale';
}
