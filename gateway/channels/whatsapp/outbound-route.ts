/**
 * WhatsApp sends go to the process that holds the channel's socket. Only the lease holder has a
 * Baileys socket, yet any worker may take an `outbound` job; so with several processes (BullMQ)
 * the `outbound` job of a Baileys message — a tenant's or the platform number's — is handed over
 * to the routed queue `whatsapp_outbound`, partitioned by channel (workers/catalog.ts; BullMQ
 * queue `wa-out-<channelId>`, jobId = message id), which only the current lease holder consumes:
 * it `serve`s the partition when it takes the lease and `unserve`s it when it loses or gives it
 * up (gateway/channels/whatsapp/manager.ts). Its handler runs the full delivery (claim → send
 * through the local socket → record sent / failed, workers/delivery.ts).
 *
 * Jobs wait in the channel's partition while no process holds the lease (the message stays
 * queued); a send failing while the holder reconnects is retried (catalog: 10 attempts,
 * exponential from 2 s, ≈ 17 min), then recorded `failed`. Zero setup (inline queue, one process)
 * does not route: delivery calls the local sender directly.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../core/db/client.ts';
import { channels, messages, platformMessages } from '../../../core/db/schema/index.ts';
import type { JobQueue, OutboundJob, PartitionConsumer } from '../../../core/queue.ts';

export interface WhatsAppOutboundRoute {
  /**
   * Producer (any process): hand a Baileys message to its channel's partition.
   * @returns true when handed over (the caller must not send it), false for other providers.
   */
  route(job: OutboundJob): Promise<boolean>;
  /** Lease holder: start consuming the channel's partition (idempotent). */
  serve(channelId: string): void;
  /** Lease lost / given up: stop consuming (running sends finish or fail retryably). */
  unserve(channelId: string): Promise<void>;
}

export interface OutboundRouteOptions {
  db: Database;
  /** The process's queue driver (routed queues need the BullMQ one: partitions span processes). */
  queue: JobQueue & PartitionConsumer;
}

/** The channel a queued outbound message goes out on. */
async function channelOf(db: Database, job: OutboundJob) {
  const cols = { channelId: channels.id, provider: channels.provider, status: channels.status };
  if ('platformMessageId' in job) {
    const [row] = await db.withPlatform((tx) =>
      tx.select(cols).from(platformMessages).innerJoin(channels, eq(channels.id, platformMessages.channelId)).where(eq(platformMessages.id, job.platformMessageId)),
    );
    return row;
  }
  const [row] = await db.withTenant(job.tenantId, (tx) =>
    tx.select(cols).from(messages).innerJoin(channels, eq(channels.id, messages.channelId)).where(eq(messages.id, job.messageId)),
  );
  return row;
}

export function createWhatsAppOutboundRoute(opts: OutboundRouteOptions): WhatsAppOutboundRoute {
  return {
    async route(job) {
      const row = await channelOf(opts.db, job);
      if (row?.provider !== 'baileys') return false;
      // A number that is logged out or stopped has no holder to wait for: deliver locally, where
      // the sender fails it at once ("relink") instead of it waiting for days in Redis.
      if (row.status === 'logged_out' || row.status === 'stopped') return false;
      // jobId dedupes a re-enqueue (recovery sweep) while the job waits; finished jobs are
      // removed, so a later legitimate re-send is not swallowed (the claim is the real guard).
      const jobId = 'platformMessageId' in job ? job.platformMessageId : job.messageId;
      await opts.queue.enqueue('whatsapp_outbound', { ...job, channelId: row.channelId }, { jobId });
      return true;
    },
    serve: (channelId) => opts.queue.serve('whatsapp_outbound', channelId),
    unserve: (channelId) => opts.queue.unserve('whatsapp_outbound', channelId),
  };
}
