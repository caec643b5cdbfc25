/**
 * Queue driver interface: the same job handlers run on BullMQ (production, Redis) or the inline
 * driver (zero setup, in-process). Handlers receive the validated payload and a context.
 */
import type { JobPayloads, JobQueue, QueueName } from '../../core/queue.ts';

export interface JobContext {
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  /** True on the last attempt: a failure now is final. */
  final: boolean;
  /** Aborted when the attempt's timeout (catalog timeoutMs) passes or the worker shuts down. */
  signal: AbortSignal;
}

export type JobHandler<K extends QueueName> = (payload: JobPayloads[K], ctx: JobContext) => Promise<void>;
export type JobHandlers = { [K in QueueName]?: JobHandler<K> };

export interface QueueDriver extends JobQueue {
  readonly kind: 'bullmq' | 'inline';
  /** Start consuming the given queues (default: every queue that has a handler). */
  start(handlers: JobHandlers, active?: readonly string[]): Promise<void>;
  /** Waiting + delayed + active jobs per queue. */
  counts(): Promise<Record<string, number>>;
  /** Stop taking jobs, wait for running ones, release connections. */
  close(): Promise<void>;
}

export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
}
