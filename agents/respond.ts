/**
 * Answer one inbound message (the `inbound` job's service): load the turn, decide whether the AI
 * may answer, run the agent, store the reply and enqueue its delivery.
 *
 * No AI reply when the conversation is not AI-owned or the tenant is suspended: the message is
 * marked processed and staff are notified on `tenant:<id>`. Idempotent under redelivery: an
 * inbound already answered only (re)enqueues its queued reply, deduped by jobId.
 */
import type { Database } from '../core/db/client.ts';
import type { EventBus } from '../core/events.ts';
import type { JobQueue } from '../core/queue.ts';
import { findQueuedReply, loadTurnContext, markProcessed, storeAiReply } from '../core/services/conversations/messages.ts';
import { publishOwnership } from '../core/services/conversations/ownership.ts';
import { runAgentTurn, type AgentDeps } from './agent.ts';
import { recordInterventions } from './guard/interventions.ts';
import { hostsOf } from './render/links.ts';
import { renderForChannel, smsMaxParts } from './render/index.ts';

export interface RespondDeps extends AgentDeps {
  db: Database;
  queue: JobQueue;
  bus: EventBus;
  /** PUBLIC_URL: links the platform generates (booking, payment pages) stay in replies. */
  publicUrl?: string;
}

export async function answerInbound(
  deps: RespondDeps,
  job: { tenantId: string; messageId: string; realtime?: boolean },
  /** The queue job's abort signal (timeout, shutdown): an aborted turn stores no reply. */
  signal?: AbortSignal,
): Promise<void> {
  const ctx = await deps.db.withTenant(job.tenantId, (tx) => loadTurnContext(tx, job.messageId));
  if (!ctx) return;
  if (ctx.message.status !== 'received') {
    const replyId = await findQueuedReply(deps.db, job.tenantId, job.messageId);
    if (replyId) await deps.queue.enqueue('outbound', { tenantId: job.tenantId, messageId: replyId }, { jobId: replyId });
    return;
  }
  const paused = ctx.tenant.status === 'suspended' || ctx.tenant.status === 'canceled' || ctx.conversation.owner !== 'ai';
  if (paused) {
    await markProcessed(deps.db, job.tenantId, job.messageId);
    await deps.bus.publish(`tenant:${job.tenantId}`, {
      type: 'needs_attention',
      conversationId: ctx.conversation.id,
      messageId: job.messageId,
      reason: ctx.conversation.owner === 'ai' ? `tenant ${ctx.tenant.status}` : `owned by ${ctx.conversation.owner}`,
    });
    return;
  }
  const result = await runAgentTurn(deps, ctx, job.realtime ? 'realtime' : 'standard', signal);
  // The job timed out or the worker is stopping: the retry (or the recovery sweep) answers.
  signal?.throwIfAborted();
  // After the guard, the channel's renderer: markup, foreign links, SMS parts (agents/render/).
  const profile = ctx.tenant.profile ?? {};
  const rendered = renderForChannel(ctx.channel.type, result.text, {
    links: { hosts: hostsOf(profile.website as string | undefined, ...(Array.isArray(profile.domains) ? (profile.domains as string[]) : []), deps.publicUrl) },
    lang: ctx.customer.languagePreference,
    smsMaxParts: smsMaxParts(ctx.tenant.settings),
  });
  const { replyId, created, ownership } = await storeAiReply(deps.db, job.tenantId, job.messageId, {
    text: rendered.text,
    parts: rendered.parts,
    provider: result.provider,
    model: result.model,
    ownerVersion: ctx.conversation.ownerVersion,
    flagReason: result.offline ? 'ai_unavailable' : result.escalation,
  });
  if (created) {
    const list = [...(result.interventions ?? []), ...rendered.changes];
    await recordInterventions(deps.db, job.tenantId, { conversationId: ctx.conversation.id, inboundMessageId: job.messageId }, list).catch((err: unknown) =>
      deps.log?.warn({ err, tenantId: job.tenantId }, 'guard interventions not recorded'),
    );
  }
  if (replyId) await deps.queue.enqueue('outbound', { tenantId: job.tenantId, messageId: replyId }, { jobId: replyId });
  // An escalation committed with the reply: `ownership` + `needs_attention` for live views.
  if (ownership) await publishOwnership(deps.bus, job.tenantId, ownership);
}
