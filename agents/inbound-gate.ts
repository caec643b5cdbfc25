/**
 * The `inbound` job in front of the agent: debounce, escalation check, then answerInbound.
 *
 * Debounce (trailing edge): customer messages of one conversation arriving within the tenant's
 * window (`tenants.settings.debounceMs`, else the configured default, 3000 ms) get one AI reply
 * that sees all of them. A job whose message is younger than the window re-enqueues itself
 * (jobId `<running job id>-d`, delayed by the rest of the window, never more than one
 * window, measured on the database clock); when it runs, a message
 * with a newer customer message in the same conversation is marked processed without a reply
 * (the newest one's turn answers the burst; the agent's history holds every message of it).
 * Idempotency is unchanged: ingest dedupes messages, jobIds dedupe jobs, storeAiReply answers an
 * inbound at most once.
 *
 * Every inbound also publishes `{ type: 'message', conversationId, messageId, sender }` on
 * `tenant:<id>` so open staff inboxes refresh live.
 */
import { sql } from 'drizzle-orm';
import { topics } from '../core/events.ts';
import { checkEscalation } from '../core/services/conversations/escalation.ts';
import { markProcessed } from '../core/services/conversations/messages.ts';
import { answerInbound, type RespondDeps } from './respond.ts';

export interface InboundGateDeps extends RespondDeps {
  /** Default debounce window, ms (tenant setting `debounceMs` overrides). */
  debounceMs?: number;
}

interface MessageInfo {
  status: string;
  conversation_id: string;
  created_at: Date | string;
  /** now() − created_at on the database clock (no skew between app and database hosts). */
  age_ms: number;
  settings: Record<string, unknown> | null;
  newer: number;
}

/** Window in ms for a tenant: `settings.debounceMs` when it is a non-negative number, else the default. */
export function debounceWindow(settings: Record<string, unknown> | null | undefined, fallbackMs = 0): number {
  const v = settings?.debounceMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(v, 60_000) : fallbackMs;
}

/**
 * @param jobId id of the running queue job (default the message id): a debounce wait is enqueued
 * as `<jobId>-d`, so a duplicated run of the same job collapses into one wait, while a debounce
 * run that must wait again gets a new id.
 */
export async function handleInbound(
  deps: InboundGateDeps,
  job: { tenantId: string; messageId: string; realtime?: boolean },
  jobId: string = job.messageId,
  signal?: AbortSignal,
): Promise<void> {
  const info = await deps.db.withTenant(job.tenantId, async (tx) => {
    const res = await tx.execute(sql`
      select m.status, m.conversation_id, m.created_at, t.settings,
        (extract(epoch from (now() - m.created_at)) * 1000)::float8 as age_ms,
        (select count(*)::int from messages n where n.conversation_id = m.conversation_id and n.direction = 'inbound'
           and (n.created_at, n.id) > (m.created_at, m.id)) as newer
      from messages m join tenants t on t.id = m.tenant_id where m.id = ${job.messageId}`);
    return res.rows[0] as MessageInfo | undefined;
  });
  if (!info || info.status !== 'received') return answerInbound(deps, job, signal);
  const topic = topics.tenant(job.tenantId);
  const windowMs = debounceWindow(info.settings, deps.debounceMs ?? 0);
  if (windowMs > 0) {
    // Capped at one window: a provider timestamp in the future can never delay a reply longer.
    const left = Math.min(windowMs, windowMs - Number(info.age_ms));
    if (left > 50) {
      await deps.bus.publish(topic, { type: 'message', conversationId: info.conversation_id, messageId: job.messageId, sender: 'customer' });
      // Derived from the running job's id: this job may itself be a debounce run, and re-adding
      // its own id while it runs would be ignored by the queue, stranding the message.
      await deps.queue.enqueue('inbound', job, { jobId: `${jobId}-d`, delayMs: left });
      return;
    }
    if (info.newer > 0) {
      await markProcessed(deps.db, job.tenantId, job.messageId);
      return;
    }
  } else {
    await deps.bus.publish(topic, { type: 'message', conversationId: info.conversation_id, messageId: job.messageId, sender: 'customer' });
  }
  // Escalating marks the conversation's unanswered inbounds processed in its own transaction.
  if (await checkEscalation(deps, job.tenantId, info.conversation_id, job.messageId)) return;
  await answerInbound(deps, job, signal);
  await deps.bus.publish(topic, { type: 'message', conversationId: info.conversation_id, sender: 'ai' });
}
