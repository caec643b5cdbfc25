/**
 * The queue catalog: for each job name its payload schema (defined once in core/queue.ts),
 * attempts, exponential backoff base (ms), per-attempt timeout (ms), worker concurrency and
 * per-tenant fairness. `inbound` turns are I/O-bound (a model call of 0.5–3 s holds no CPU and
 * no database connection), so one process runs hundreds at once; `outbound` sends are short
 * HTTP calls paced per number.
 * Drivers read this; nothing else configures a queue.
 */
import type { TSchema } from '@sinclair/typebox';
import { jobSchemas, QUEUE_NAMES, type QueueName } from '../core/queue.ts';

export interface JobSpec {
  schema: TSchema;
  attempts: number;
  /** First retry after this many ms, doubling each time. */
  backoffMs: number;
  /** Each attempt is aborted after this many ms. */
  timeoutMs: number;
  /** Jobs in flight per worker process (default; INBOUND_CONCURRENCY / OUTBOUND_CONCURRENCY override). */
  concurrency: number;
  /**
   * Per-tenant fairness: at most TENANT_INFLIGHT_CAP jobs of one tenant run at once per process
   * (workers/drivers/tenant-gate.ts); the payload must carry `tenantId`.
   */
  fair?: boolean;
  /**
   * Routed queue: jobs go to the partition named by this payload field, and only a process that
   * `serve`s that partition consumes it (ACTIVE_QUEUES does not apply). Finished jobs are removed
   * at once (the database row's status is the guard against a second send).
   */
  partitionBy?: string;
  /** BullMQ queue name of a partition (kept as before the driver owned it: wa-out-<channelId>). */
  partitionQueue?: (key: string) => string;
}

export const catalog: Record<QueueName, JobSpec> = {
  inbound: { schema: jobSchemas.inbound, attempts: 5, backoffMs: 1000, timeoutMs: 120_000, concurrency: 200, fair: true },
  outbound: { schema: jobSchemas.outbound, attempts: 6, backoffMs: 2000, timeoutMs: 30_000, concurrency: 50 },
  // Sends wait for the lease holder while the number reconnects: 10 attempts from 2 s (≈ 17 min).
  whatsapp_outbound: {
    schema: jobSchemas.whatsapp_outbound,
    attempts: 10,
    backoffMs: 2000,
    timeoutMs: 60_000,
    concurrency: 4,
    partitionBy: 'channelId',
    partitionQueue: (channelId) => `wa-out-${channelId}`,
  },
  auto_handback: { schema: jobSchemas.auto_handback, attempts: 3, backoffMs: 2000, timeoutMs: 30_000, concurrency: 2 },
  kb_embed: { schema: jobSchemas.kb_embed, attempts: 5, backoffMs: 2000, timeoutMs: 300_000, concurrency: 2 },
  lead_followup: { schema: jobSchemas.lead_followup, attempts: 5, backoffMs: 5000, timeoutMs: 30_000, concurrency: 4 },
  content_generate: { schema: jobSchemas.content_generate, attempts: 3, backoffMs: 5000, timeoutMs: 180_000, concurrency: 2 },
  billing_tick: { schema: jobSchemas.billing_tick, attempts: 3, backoffMs: 5000, timeoutMs: 120_000, concurrency: 1 },
  sales_inbound: { schema: jobSchemas.sales_inbound, attempts: 5, backoffMs: 1000, timeoutMs: 120_000, concurrency: 4 },
};

export { QUEUE_NAMES };

/** Per-process overrides of the catalog (from Config.throughput), given to a driver. */
export interface DriverOptions {
  /** Concurrency per queue, overriding the catalog's. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** In-flight cap per tenant on `fair` queues (default 20). */
  tenantCap?: number;
}

/** Effective concurrency of a queue under the given overrides. */
export function concurrencyOf(name: QueueName, opts: DriverOptions = {}): number {
  return opts.concurrency?.[name] ?? catalog[name].concurrency;
}

export const DEFAULT_TENANT_CAP = 20;
