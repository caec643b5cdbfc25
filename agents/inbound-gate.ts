/**
 * The `inbound` job in front of the agent: debounce, escalation check, then answerInbound.
 *
 * Debounce (trailing edge, quiet gap): customer messages of one conversation that arrive in a
 * burst get one AI reply that sees all of them, and a lone message is not taxed with the whole
 * window. A message is answered once the conversation has been quiet for the gap (tenant
 * `settings.quietGapMs`, else INBOUND_QUIET_GAP_MS, 800 ms) after it, but never later than the
 * tenant's window (`settings.debounceMs`, else INBOUND_DEBOUNCE_MS, 3000 ms) after the burst's
 * first message (the first inbound after the conversation's latest outbound), so a customer
 * typing without pause still gets an answer. Window 0 switches debouncing off.
 *
 * A job that must wait re-enqueues itself (jobId `<running job id>-d`, delayed by the rest of
 * the wait, never more than one window, measured on the database clock). A job whose message
 * already has a newer customer message is marked processed without a reply at once: the
 * newest one's turn answers the burst and the agent's history holds every message of it.
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
  /** Default debounce window (cap on a burst's wait), ms; tenant setting `debounceMs` overrides. */
  debounceMs?: number;
  /** Default quiet gap after the latest message, ms (800); tenant setting `quietGapMs` overrides. */
  quietGapMs?: number;
}

interface MessageInfo {
  status: string;
  conversation_id: string;
  /** now() − created_at on the database clock (no skew between app and database hosts). */
  age_ms: number;
  /** now() − the burst's first inbound (first inbound after the latest outbound), ms. */
  burst_age_ms: number;
  settings: Record<string, unknown> | null;
  newer: number;
}

const DEFAULT_QUIET_GAP_MS = 800;
/** A wait shorter than this is not worth a queue round trip. */
const MIN_WAIT_MS = 50;

const msSetting = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(v, 60_000) : undefined);

/** Window in ms for a tenant: `settings.debounceMs` when it is a non-negative number (≤ 60 s), else the default. */
export function debounceWindow(settings: Record<string, unknown> | null | undefined, fallbackMs = 0): number {
  return msSetting(settings?.debounceMs) ?? fallbackMs;
}

/** Quiet gap in ms for a tenant: `settings.quietGapMs` (≤ 60 s), else the default; never above the window. */
export function quietGap(settings: Record<string, unknown> | null | undefined, windowMs: number, fallbackMs = DEFAULT_QUIET_GAP_MS): number {
  return Math.min(msSetting(settings?.quietGapMs) ?? fallbackMs, windowMs);
}

/**
 * How long (ms) a message must still wait: until `gapMs` after it, capped at `windowMs` after its
 * burst began, and never more than one window from now (a provider timestamp in the future can
 * never delay a reply longer). ≤ 0 = answer now.
 */
export function debounceWait(ageMs: number, burstAgeMs: number, gapMs: number, windowMs: number): number {
  return Math.min(gapMs - ageMs, windowMs - burstAgeMs, windowMs);
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
      select m.status, m.conversation_id, t.settings,
        (extract(epoch from (now() - m.created_at)) * 1000)::float8 as age_ms,
        (extract(epoch from (now() - coalesce((
          select min(b.created_at) from messages b
          where b.conversation_id = m.conversation_id and b.direction = 'inbound' and b.created_at > coalesce(
            (select max(o.created_at) from messages o where o.conversation_id = m.conversation_id and o.direction = 'outbound'),
            '-infinity'::timestamptz)
        ), m.created_at))) * 1000)::float8 as burst_age_ms,
        (select count(*)::int from messages n where n.conversation_id = m.conversation_id and n.direction = 'inbound'
           and (n.created_at, n.id) > (m.created_at, m.id)) as newer
      from messages m join tenants t on t.id = m.tenant_id where m.id = ${job.messageId}`);
    return res.rows[0] as MessageInfo | undefined;
  });
  if (!info || info.status !== 'received') return answerInbound(deps, job, signal);
  const topic = topics.tenant(job.tenantId);
  const windowMs = debounceWindow(info.settings, deps.debounceMs ?? 0);
  // Once per message (its first run; debounce runs carry a `-d` suffix) for live inboxes.
  if (jobId === job.messageId)
    await deps.bus.publish(topic, { type: 'message', conversationId: info.conversation_id, messageId: job.messageId, sender: 'customer' });
  if (windowMs > 0 && info.newer > 0) {
    // A newer message of the burst exists: its turn answers (and its history holds this one).
    await markProcessed(deps.db, job.tenantId, job.messageId);
    return;
  }
  if (windowMs > 0) {
    const gapMs = quietGap(info.settings, windowMs, deps.quietGapMs);
    const left = debounceWait(Number(info.age_ms), Number(info.burst_age_ms), gapMs, windowMs);
    if (left > MIN_WAIT_MS) {
      // Derived from the running job's id: this job may itself be a debounce run, and re-adding
      // its own id while it runs would be ignored by the queue, stranding the message.
      await deps.queue.enqueue('inbound', job, { jobId: `${jobId}-d`, delayMs: Math.ceil(left) });
      return;
    }
  }
  // Escalating marks the conversation's unanswered inbounds processed in its own transaction.
  if (await checkEscalation(deps, job.tenantId, info.conversation_id, job.messageId)) return;
  await answerInbound(deps, job, signal);
  await deps.bus.publish(topic, { type: 'message', conversationId: info.conversation_id, sender: 'ai' });
}
