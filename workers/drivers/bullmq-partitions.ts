/**
 * Routed (partitioned) queues on BullMQ: one BullMQ queue per partition (catalog
 * `partitionQueue(key)`, e.g. `wa-out-<channelId>`), consumed only by a process that `serve`s the
 * partition — for WhatsApp the holder of the channel's socket lease, which starts the Worker when
 * it takes the lease and closes it when it loses or gives it up. Jobs wait in their partition
 * while nobody serves it. Finished jobs are removed at once, so a later legitimate re-send is not
 * swallowed by jobId dedupe (the message row's status is the real guard against a double send).
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.ts';
import type { EnqueueOptions, PartitionedQueueName, QueueName } from '../../core/queue.ts';
import { connectionFrom } from '../../core/redis-connection.ts';
import { catalog } from '../catalog.ts';
import { observe, processorFor } from './bullmq-worker.ts';
import type { JobHandlers } from './driver.ts';

export function createPartitions(opts: { redisUrl: string; prefix: string; log: Logger; closing: AbortSignal }) {
  // Connection options for Workers: each owns its connections, so closing one on lease loss waits
  // for its active jobs and closes only its own (with a shared client, BullMQ 5 can spin retrying
  // moveToCompleted on a closing worker). Producer Queues — one per partition, in every process —
  // share one client: safe for Queues, and connections do not grow with the number of channels.
  const connection = connectionFrom(opts.redisUrl);
  let producer: Redis | undefined;
  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  const wanted = new Map<string, { name: PartitionedQueueName; key: string }>();
  const closings = new Set<Promise<void>>();
  let handlers: JobHandlers | undefined;
  const id = (name: QueueName, key: string) => `${name}:${key}`;
  const bullName = (name: QueueName, key: string) => catalog[name].partitionQueue?.(key) ?? `${name}-${key}`;
  const queueOf = (name: QueueName, key: string) => {
    let q = queues.get(id(name, key));
    if (!q) {
      if (!producer) {
        producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
        producer.on('error', (err) => opts.log.warn({ err }, 'partitioned queue: redis error'));
      }
      queues.set(id(name, key), (q = new Queue(bullName(name, key), { connection: producer, prefix: opts.prefix })));
    }
    return q;
  };
  const startWorker = (name: PartitionedQueueName, key: string) => {
    const handler = handlers?.[name] as ((p: unknown, c: any) => Promise<void>) | undefined;
    if (!handler || workers.has(id(name, key))) return;
    const worker = new Worker(bullName(name, key), processorFor(name, handler, opts.closing), {
      connection,
      prefix: opts.prefix,
      concurrency: catalog[name].concurrency,
    });
    workers.set(id(name, key), observe(worker, name, opts.log, { partition: key }));
  };

  return {
    async enqueue(name: QueueName, payload: unknown, o: EnqueueOptions) {
      const spec = catalog[name];
      const key = String((payload as Record<string, unknown>)[spec.partitionBy!]);
      await queueOf(name, key).add(name, payload, {
        jobId: o.jobId,
        delay: o.delayMs,
        attempts: spec.attempts,
        backoff: { type: 'exponential', delay: spec.backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      });
    },
    setHandlers(h: JobHandlers) {
      handlers = h;
      for (const w of wanted.values()) startWorker(w.name, w.key);
    },
    serve(name: PartitionedQueueName, key: string) {
      wanted.set(id(name, key), { name, key });
      startWorker(name, key);
    },
    async unserve(name: PartitionedQueueName, key: string) {
      wanted.delete(id(name, key));
      const w = workers.get(id(name, key));
      workers.delete(id(name, key));
      if (!w) return;
      // Tracked so that close() (shutdown) waits for Workers being closed on lease loss too.
      const closing = w.close().finally(() => closings.delete(closing));
      closings.add(closing);
      await closing;
    },
    /** Waiting + delayed + active jobs over the partitions this process knows. */
    async count(name: QueueName) {
      let n = 0;
      for (const [k, q] of queues) {
        if (!k.startsWith(`${name}:`)) continue;
        const c = await q.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        n += Object.values(c).reduce((a, b) => a + b, 0);
      }
      return n;
    },
    async closeWorkers() {
      await Promise.all([...workers.values()].map((w) => w.close()));
      workers.clear();
      wanted.clear();
      await Promise.all(closings);
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await producer?.quit().catch(() => producer?.disconnect());
    },
  };
}
