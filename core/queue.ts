/**
 * The job queues' payloads, defined once: a TypeBox schema per queue (validated at enqueue time by
 * the drivers) with its TypeScript type derived by `Static<>`. Core services enqueue through
 * `JobQueue` without knowing the driver; attempts, backoff, timeouts, concurrency and handlers
 * live in `workers/` (workers/catalog.ts references these schemas). Every tenant payload carries
 * `tenantId`: the handler opens the tenant transaction before any query.
 */
import { Type, type Static } from '@sinclair/typebox';

/** A UUID as Postgres prints it (any case accepted). */
const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
/** An ISO-8601 timestamp (length bounds only; the handler parses it). */
const IsoTime = Type.String({ minLength: 10, maxLength: 40 });

/** Queue name → payload schema. Add an entry here and in workers/catalog.ts for a new queue. */
export const jobSchemas = {
  /** Answer an inbound customer message (run the agent, store the reply, enqueue `outbound`). */
  inbound: Type.Object({ tenantId: Uuid, messageId: Uuid, realtime: Type.Optional(Type.Boolean()) }),
  /** Deliver one outbound message through its channel. */
  outbound: Type.Object({ tenantId: Uuid, messageId: Uuid }),
  /** Hand an idle human-owned conversation back to the AI if still under `ownerVersion` (core/services/conversations/auto-handback.ts). */
  auto_handback: Type.Object({ tenantId: Uuid, conversationId: Uuid, ownerVersion: Type.Integer({ minimum: 0 }) }),
  /** Chunk + embed one knowledge-base document (agents/memory/kb-indexer.ts). */
  kb_embed: Type.Object({ tenantId: Uuid, documentId: Uuid }),
  /** Send a lead's follow-up due at `dueAt` (ISO) unless the lead moved on (core/services/commerce/leads.ts). */
  lead_followup: Type.Object({ tenantId: Uuid, leadId: Uuid, dueAt: IsoTime }),
  /** Generate marketing copy variants for one content request (agents/content/generate.ts). */
  content_generate: Type.Object({ tenantId: Uuid, requestId: Uuid }),
  /** Move due subscriptions (platform-wide, no tenantId); `at` (ISO) overrides the clock. */
  billing_tick: Type.Object({ at: Type.Optional(IsoTime) }),
  /** Answer one message on the platform's own number (platform_messages id; no tenant yet). */
  sales_inbound: Type.Object({ messageId: Uuid }),
};

export type QueueName = keyof typeof jobSchemas;

/** Job name → payload type, derived from the schemas. */
export type JobPayloads = { [K in QueueName]: Static<(typeof jobSchemas)[K]> };

/** Every queue name, in catalog order (ACTIVE_QUEUES is checked against this list). */
export const QUEUE_NAMES = Object.keys(jobSchemas) as QueueName[];

/** True when `name` is a queue this code base knows. */
export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(jobSchemas, name);
}

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id while the job is known is a no-op. */
  jobId?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
}

export interface JobQueue {
  enqueue<K extends QueueName>(name: K, payload: JobPayloads[K], opts?: EnqueueOptions): Promise<void>;
}
