/**
 * BullMQ driver (production): one BullMQ Queue per catalog entry, Workers only for the queues
 * this process consumes (ACTIVE_QUEUES), attempts and exponential backoff from the catalog,
 * jobId dedupe (BullMQ ignores an add whose jobId exists). Completed jobs are kept 24 h so a
 * late duplicate delivery still dedupes; failed ones an hour, then the recovery sweep (see
 * core/services/conversations/recovery.ts) can give the message another chance.
 * Routed queues (catalog `partitionBy`) get one BullMQ queue per partition, consumed only where
 * `serve`d (bullmq-partitions.ts). Redis must run with `maxmemory-policy noeviction` (BullMQ).
 *
 * Concurrency: a Worker runs `concurrency` jobs at once on one blocking connection plus one
 * command connection, whatever the concurrency, so Redis connections do not grow with it.
 * On `fair` queues a job whose tenant already has its cap of jobs running in this process is
 * moved back to delayed (BullMQ `moveToDelayed` + `DelayedError`: no attempt is used up, no
 * `failed` event) and comes back after the tenant gate's delay (workers/drivers/tenant-gate.ts).
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { connectionFrom } from '../../core/redis-connection.ts';
import type { EnqueueOptions, JobPayloads, QueueName } from '../../core/queue.ts';
import type { Logger } from '../../core/logger.ts';
import { catalog, concurrencyOf, DEFAULT_TENANT_CAP, QUEUE_NAMES, type DriverOptions } from '../catalog.ts';
import { createPartitions } from './bullmq-partitions.ts';
import { observe, processorFor } from './bullmq-worker.ts';
import type { JobHandlers, QueueDriver } from './driver.ts';
import { validatePayload } from './validate.ts';
import { createTenantGate } from './tenant-gate.ts';

/**
 * @param prefix BullMQ key prefix (REDIS_PREFIX), so tests and deployments can share a Redis.
 * @param opts per-process concurrency overrides and the per-tenant cap (Config.throughput).
 */
export function createBullmqDriver(redisUrl: string, prefix: string, log: Logger, opts: DriverOptions = {}): QueueDriver {
  const connection = connectionFrom(redisUrl);
  const gate = createTenantGate({ cap: opts.tenantCap ?? DEFAULT_TENANT_CAP });
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const closeCtl = new AbortController();
  const partitions = createPartitions({ redisUrl, prefix, log, closing: closeCtl.signal });
  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      queues.set(name, q);
    }
    return q;
  };
  const jobOptions = (name: QueueName) => {
    const spec = catalog[name];
    return {
      attempts: spec.attempts,
      backoff: { type: 'exponential', delay: spec.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      // Kept an hour for inspection; after that the recovery sweep may retry the message.
      removeOnFail: { age: 3600 },
    };
  };
  return {
    kind: 'bullmq',
    async enqueue<K extends QueueName>(name: K, payload: JobPayloads[K], opts: EnqueueOptions = {}) {
      validatePayload(name, payload);
      if (catalog[name].partitionBy) return partitions.enqueue(name, payload, opts);
      await queue(name).add(name, payload, { jobId: opts.jobId, delay: opts.delayMs, ...jobOptions(name) });
    },
    async start(handlers: JobHandlers, active?: readonly string[]) {
      partitions.setHandlers(handlers);
      for (const name of QUEUE_NAMES) {
        const handler = handlers[name] as ((p: unknown, c: any) => Promise<void>) | undefined;
        if (!handler || catalog[name].partitionBy || (active && !active.includes(name))) continue;
        const run = processorFor(name, handler, closeCtl.signal);
        const fair = catalog[name].fair;
        const worker = new Worker(
          name,
          async (job: Job, token?: string) => {
            const tenantId = fair ? (job.data as { tenantId?: string }).tenantId : undefined;
            if (!tenantId) return run(job);
            if (!gate.tryAcquire(tenantId)) {
              await job.moveToDelayed(Date.now() + gate.deferDelay(tenantId), token);
              throw new DelayedError();
            }
            const started = Date.now();
            try {
              return await run(job);
            } finally {
              gate.release(tenantId, Date.now() - started);
            }
          },
          { connection, prefix, concurrency: concurrencyOf(name, opts) },
        );
        workers.push(observe(worker, name, log));
      }
    },
    serve: (name, key) => partitions.serve(name, key),
    unserve: (name, key) => partitions.unserve(name, key),
    async repeat(name, schedulerId, everyMs, payload) {
      validatePayload(name, payload);
      await queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data: payload, opts: { ...jobOptions(name), removeOnComplete: 100, removeOnFail: 100 } });
      // The scheduler lives in Redis and is shared by every process; stopping one process leaves it.
      return async () => {};
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const name of QUEUE_NAMES) {
        if (catalog[name].partitionBy) {
          out[name] = await partitions.count(name);
          continue;
        }
        const c = await queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        out[name] = Object.values(c).reduce((a, b) => a + b, 0);
      }
      return out;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await partitions.closeWorkers();
      closeCtl.abort(new Error('queue closed'));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await partitions.close();
    },
  };
}
