/**
 * Schedules `billing_tick`: in production a BullMQ job scheduler (repeatable job, one per Redis
 * prefix however many processes start it — BullMQ `upsertJobScheduler`); in zero-setup mode an
 * in-process timer that enqueues on the inline driver. Either way the tick itself is idempotent.
 */
import { Queue } from 'bullmq';
import type { Logger } from '../core/logger.ts';
import type { JobQueue } from '../core/queue.ts';
import { connectionFrom } from '../core/redis-connection.ts';

/** Default period between ticks, ms. */
export const BILLING_TICK_EVERY_MS = 15 * 60_000;

export interface BillingScheduleOptions {
  redisUrl?: string;
  redisPrefix: string;
  queue: JobQueue;
  log: Logger;
  everyMs?: number;
}

/** Start the schedule; resolves with a function that stops it. */
export async function startBillingSchedule(opts: BillingScheduleOptions): Promise<() => Promise<void>> {
  const every = opts.everyMs ?? BILLING_TICK_EVERY_MS;
  if (opts.redisUrl) {
    const q = new Queue('billing_tick', { prefix: opts.redisPrefix, connection: connectionFrom(opts.redisUrl) });
    await q.upsertJobScheduler('billing-tick', { every }, { name: 'billing_tick', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    return () => q.close();
  }
  const tick = () =>
    opts.queue.enqueue('billing_tick', {}, { jobId: `billing-tick-${Math.floor(Date.now() / every)}` }).catch((err) => opts.log.error({ err }, 'billing tick enqueue failed'));
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, every);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
