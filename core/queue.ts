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

const TenantOutbound = Type.Object({ tenantId: Uuid, messageId: Uuid });
const PlatformOutbound = Type.Object({ platformMessageId: Uuid });

/** Queue name → payload schema. Add an entry here and in workers/catalog.ts for a new queue. */
export const jobSchemas = {
  /** Answer an inbound customer message (run the agent, store the reply, enqueue `outbound`). */
  inbound: Type.Object({ tenantId: Uuid, messageId: Uuid, realtime: Type.Optional(Type.Boolean()) }),
  /**
   * Deliver one outbound message through its channel: a tenant's (`messages` row) or the sales
   * assistant's reply on the platform's own number (`platform_messages` row, no tenant).
   */
  outbound: Type.Union([TenantOutbound, PlatformOutbound]),
  /**
   * Deliver one outbound WhatsApp message on the process holding its channel's socket lease: a
   * routed queue, partitioned by `channelId` (only the partition's lease holder consumes it).
   */
  whatsapp_outbound: Type.Union([
    Type.Composite([TenantOutbound, Type.Object({ channelId: Uuid })]),
    Type.Composite([PlatformOutbound, Type.Object({ channelId: Uuid })]),
  ]),
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

/** The `outbound` payload: a tenant message or a platform-number message. */
export type OutboundJob = JobPayloads['outbound'];
export type TenantOutboundJob = Static<typeof TenantOutbound>;

/** Queues split into partitions that only a chosen process consumes (workers/catalog.ts `partitionBy`). */
export type PartitionedQueueName = 'whatsapp_outbound';

/**
 * Routed queues: a job of a partitioned queue waits in its partition (e.g. one per WhatsApp
 * channel) until a process serves that partition — the one holding the channel's socket lease.
 */
export interface PartitionConsumer {
  /** Start consuming partition `key` of `name` in this process (idempotent). */
  serve(name: PartitionedQueueName, key: string): void;
  /** Stop consuming it; running jobs finish (or fail retryably) first. */
  unserve(name: PartitionedQueueName, key: string): Promise<void>;
}
