/**
 * The queue catalog: for each job name (payload shapes in core/queue.ts) its payload schema,
 * attempts, exponential backoff base (ms), per-attempt timeout (ms) and worker concurrency.
 * Drivers read this; nothing else configures a queue.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { QueueName } from '../core/queue.ts';

export interface JobSpec {
  schema: TSchema;
  attempts: number;
  /** First retry after this many ms, doubling each time. */
  backoffMs: number;
  /** Each attempt is aborted after this many ms. */
  timeoutMs: number;
  concurrency: number;
}

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

export const catalog: Record<QueueName, JobSpec> = {
  inbound: {
    schema: Type.Object({ tenantId: Uuid, messageId: Uuid, realtime: Type.Optional(Type.Boolean()) }),
    attempts: 5,
    backoffMs: 1000,
    timeoutMs: 120_000,
    concurrency: 8,
  },
  outbound: {
    schema: Type.Object({ tenantId: Uuid, messageId: Uuid }),
    attempts: 6,
    backoffMs: 2000,
    timeoutMs: 30_000,
    concurrency: 8,
  },
  auto_handback: {
    schema: Type.Object({ tenantId: Uuid, conversationId: Uuid, ownerVersion: Type.Integer({ minimum: 0 }) }),
    attempts: 3,
    backoffMs: 2000,
    timeoutMs: 30_000,
    concurrency: 2,
  },
  kb_embed: {
    schema: Type.Object({ tenantId: Uuid, documentId: Uuid }),
    attempts: 5,
    backoffMs: 2000,
    timeoutMs: 300_000,
    concurrency: 2,
  },
  lead_followup: {
    schema: Type.Object({ tenantId: Uuid, leadId: Uuid, dueAt: Type.String({ minLength: 10, maxLength: 40 }) }),
    attempts: 5,
    backoffMs: 5000,
    timeoutMs: 30_000,
    concurrency: 4,
  },
  content_generate: {
    schema: Type.Object({ tenantId: Uuid, requestId: Uuid }),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 180_000,
    concurrency: 2,
  },
  billing_tick: {
    schema: Type.Object({ at: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })) }),
    attempts: 3,
    backoffMs: 5000,
    timeoutMs: 120_000,
    concurrency: 1,
  },
  sales_inbound: {
    schema: Type.Object({ messageId: Uuid }),
    attempts: 5,
    backoffMs: 1000,
    timeoutMs: 120_000,
    concurrency: 4,
  },
};

export const QUEUE_NAMES = Object.keys(catalog) as QueueName[];
