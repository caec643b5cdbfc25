/**
 * Queue driver interface: the same job handlers run on BullMQ (production, Redis) or the inline
 * driver (zero setup, in-process). Handlers receive the validated payload and a context.
 */
import type { JobPayloads, JobQueue, PartitionConsumer, QueueName } from '../../core/queue.ts';

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

export interface QueueDriver extends JobQueue, PartitionConsumer {
  readonly kind: 'bullmq' | 'inline';
  /**
   * Start consuming the given queues (default: every queue that has a handler). Partitions of
   * routed queues are consumed when `serve`d, whatever `active` says (before start: once started).
   */
  start(handlers: JobHandlers, active?: readonly string[]): Promise<void>;
  /**
   * Enqueue `name` with `payload` every `everyMs` ms. BullMQ: one job scheduler per
   * `schedulerId` in Redis however many processes call this; inline: an in-process timer (first
   * run after min(5 s, everyMs)). @returns a function that stops this process's schedule.
   */
  repeat<K extends QueueName>(name: K, schedulerId: string, everyMs: number, payload: JobPayloads[K]): Promise<() => Promise<void>>;
  /** Waiting + delayed + active jobs per queue. */
  counts(): Promise<Record<string, number>>;
  /** Stop taking jobs, wait for running ones, release connections. */
  close(): Promise<void>;
}

export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
}
