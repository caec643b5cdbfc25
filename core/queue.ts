/**
 * The producer side of the job queues, as core sees it. Payload shapes live here so that core
 * services can enqueue without knowing the driver; attempts, backoff, timeouts and handlers live
 * in `workers/` (the catalog). Every payload carries `tenantId`: the handler opens the tenant
 * transaction before any query.
 */

/** Job name → payload. Add an entry here and in workers/catalog.ts for a new queue. */
export interface JobPayloads {
  /** Answer an inbound customer message (run the agent, store the reply, enqueue `outbound`). */
  inbound: { tenantId: string; messageId: string; realtime?: boolean };
  /** Deliver one outbound message through its channel. */
  outbound: { tenantId: string; messageId: string };
  /** Hand an idle human-owned conversation back to the AI if still under `ownerVersion` (core/services/conversations/auto-handback.ts). */
  auto_handback: { tenantId: string; conversationId: string; ownerVersion: number };
  /** Chunk + embed one knowledge-base document (agents/memory/kb-indexer.ts). */
  kb_embed: { tenantId: string; documentId: string };
  /** Send a lead's follow-up due at `dueAt` (ISO) unless the lead moved on (core/services/commerce/leads.ts). */
  lead_followup: { tenantId: string; leadId: string; dueAt: string };
  /** Generate marketing copy variants for one content request (agents/content/generate.ts). */
  content_generate: { tenantId: string; requestId: string };
  /** Move due subscriptions (platform-wide, no tenantId); `at` (ISO) overrides the clock. */
  billing_tick: { at?: string };
  /** Answer one message on the platform's own number (platform_messages id; no tenant yet). */
  sales_inbound: { messageId: string };
}

export type QueueName = keyof JobPayloads;

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id while the job is known is a no-op. */
  jobId?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
}

export interface JobQueue {
  enqueue<K extends QueueName>(name: K, payload: JobPayloads[K], opts?: EnqueueOptions): Promise<void>;
}
