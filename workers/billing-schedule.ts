/**
 * Schedules `billing_tick` through the queue driver's `repeat`: in production a BullMQ job
 * scheduler (one per Redis prefix however many processes start it — BullMQ `upsertJobScheduler`);
 * in zero-setup mode an in-process timer that enqueues on the inline driver. Either way the tick
 * itself is idempotent.
 */
import type { QueueDriver } from './drivers/driver.ts';

/** Default period between ticks, ms. */
export const BILLING_TICK_EVERY_MS = 15 * 60_000;

export interface BillingScheduleOptions {
  queue: Pick<QueueDriver, 'repeat'>;
  everyMs?: number;
}

/** Start the schedule; resolves with a function that stops it (in this process). */
export async function startBillingSchedule(opts: BillingScheduleOptions): Promise<() => Promise<void>> {
  return opts.queue.repeat('billing_tick', 'billing-tick', opts.everyMs ?? BILLING_TICK_EVERY_MS, {});
}
