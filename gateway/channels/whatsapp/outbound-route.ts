/**
 * WhatsApp sends go to the process that holds the channel's socket. Only the lease holder has a
 * Baileys socket, yet any worker may take an `outbound` job; so with BullMQ (REDIS_URL set) the
 * `outbound` job of a Baileys message is handed over to a per-channel BullMQ queue
 * `wa-out-<channelId>` (jobId = message id), which only the current lease holder consumes: it
 * starts a Worker when it takes the lease (`serve`) and closes it when it loses or gives it up
 * (`unserve`). That Worker runs the full delivery (claim queued → sending with the send-time
 * ownership check → send through the local socket → record sent / failed), injected as
 * `deliver` by the composition root (gateway code does not import workers).
 *
 * Jobs wait in the channel's queue while no process holds the lease (the message stays
 * `queued`); a send failing while the holder reconnects is retried (10 attempts, exponential
 * from 2 s, ≈ 17 min), then recorded `failed`. Zero setup (inline queue, one process) does not use
 * this: delivery calls the local sender directly.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../core/db/client.ts';
import { channels, messages } from '../../../core/db/schema/index.ts';
import type { Logger } from '../../../core/logger.ts';
import { connectionFrom } from '../../../core/redis-connection.ts';

export interface OutboundJob {
  tenantId: string;
  messageId: string;
}

/** The `outbound` job's context, as workers/delivery.ts takes it. */
export interface RouteJobContext {
  final: boolean;
  signal: AbortSignal;
}

export interface WhatsAppOutboundRoute {
  /**
   * Producer (any process): hand a Baileys message to its channel's queue.
   * @returns true when handed over (the caller must not send it), false for other providers.
   */
  route(job: OutboundJob): Promise<boolean>;
  /** Lease holder: start consuming the channel's queue (idempotent). */
  serve(channelId: string): void;
  /** Lease lost / given up: stop consuming (running sends finish or fail retryably). */
  unserve(channelId: string): Promise<void>;
  close(): Promise<void>;
}

export interface OutboundRouteOptions {
  redisUrl: string;
  /** BullMQ key prefix (REDIS_PREFIX). */
  prefix: string;
  db: Database;
  log: Logger;
  /** Deliver one message in this process (workers/delivery.ts deliverOutbound with the local sender). */
  deliver(job: OutboundJob, ctx: RouteJobContext): Promise<void>;
  /** Attempts per message (default 10) and first backoff (ms, default 2000, doubling). */
  attempts?: number;
  backoffMs?: number;
  /** Per-attempt timeout (ms, default 60 000). */
  timeoutMs?: number;
}

export const waOutQueueName = (channelId: string) => `wa-out-${channelId}`;

export function createWhatsAppOutboundRoute(opts: OutboundRouteOptions): WhatsAppOutboundRoute {
  // Connection options, not a shared ioredis instance: each Queue/Worker owns its connections,
  // so closing a Worker on lease loss waits for its active jobs and then closes only its own
  // (with a shared client, BullMQ 5 can spin retrying moveToCompleted on a closing worker).
  const connection = connectionFrom(opts.redisUrl);
  // Producer Queues (one per channel, in every process) share one client: that is safe for
  // Queues and keeps connections from growing with the number of channels.
  const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  producer.on('error', (err) => opts.log.warn({ err }, 'whatsapp outbound route: redis error'));
  const closings = new Set<Promise<void>>();
  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  const attempts = opts.attempts ?? 10;
  const queueOf = (channelId: string) => {
    let q = queues.get(channelId);
    if (!q) queues.set(channelId, (q = new Queue(waOutQueueName(channelId), { connection: producer, prefix: opts.prefix })));
    return q;
  };

  return {
    async route(job) {
      const [row] = await opts.db.withTenant(job.tenantId, (tx) =>
        tx
          .select({ channelId: channels.id, provider: channels.provider, status: channels.status })
          .from(messages)
          .innerJoin(channels, eq(channels.id, messages.channelId))
          .where(eq(messages.id, job.messageId)),
      );
      if (row?.provider !== 'baileys') return false;
      // A number that is logged out or stopped has no holder to wait for: deliver locally, where
      // the sender fails it at once ("relink") instead of it waiting for days in Redis.
      if (row.status === 'logged_out' || row.status === 'stopped') return false;
      // jobId dedupes a re-enqueue (recovery sweep) while the job waits; finished jobs are
      // removed, so a later legitimate re-send is not swallowed (the claim is the real guard).
      await queueOf(row.channelId).add('send', job, {
        jobId: job.messageId,
        attempts,
        backoff: { type: 'exponential', delay: opts.backoffMs ?? 2000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
      return true;
    },

    serve(channelId) {
      if (workers.has(channelId)) return;
      const timeoutMs = opts.timeoutMs ?? 60_000;
      const worker = new Worker<OutboundJob>(
        waOutQueueName(channelId),
        (job) => opts.deliver(job.data, { final: job.attemptsMade + 1 >= attempts, signal: AbortSignal.timeout(timeoutMs) }),
        { connection, prefix: opts.prefix, concurrency: 4 },
      );
      worker.on('failed', (job, err) => opts.log.warn({ err, channelId, messageId: job?.id, attempt: job?.attemptsMade }, 'whatsapp send attempt failed'));
      worker.on('error', (err) => opts.log.error({ err, channelId }, 'whatsapp outbound worker error'));
      workers.set(channelId, worker);
    },

    async unserve(channelId) {
      const w = workers.get(channelId);
      workers.delete(channelId);
      if (!w) return;
      // Tracked so that close() (shutdown) waits for Workers being closed on lease loss too.
      const closing = w.close().finally(() => closings.delete(closing));
      closings.add(closing);
      await closing;
    },

    async close() {
      await Promise.all([...workers.values()].map((w) => w.close()));
      workers.clear();
      await Promise.all(closings);
      await Promise.all([...queues.values()].map((q) => q.close()));
      await producer.quit().catch(() => producer.disconnect());
    },
  };
}
