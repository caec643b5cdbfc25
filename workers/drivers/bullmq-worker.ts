/** What every BullMQ Worker of the driver shares: the processor (catalog timeout, attempt context) and its metrics/logs. */
import type { Worker } from 'bullmq';
import type { Logger } from '../../core/logger.ts';
import { jobsTotal } from '../../core/metrics.ts';
import type { QueueName } from '../../core/queue.ts';
import { catalog } from '../catalog.ts';
import { withTimeout } from './validate.ts';

/** The processor of one queue: catalog timeout, attempt bookkeeping, shutdown abort. */
export function processorFor(name: QueueName, handler: (p: unknown, c: any) => Promise<void>, closing: AbortSignal) {
  const spec = catalog[name];
  return (job: { id?: string; data: unknown; attemptsMade: number }) =>
    withTimeout(
      name,
      (signal) => handler(job.data, { jobId: job.id!, attempt: job.attemptsMade + 1, final: job.attemptsMade + 1 >= spec.attempts, signal }),
      closing,
    );
}

/** Metrics and logs of one Worker (completed / retried / failed for good). */
export function observe(worker: Worker, name: QueueName, log: Logger, extra: Record<string, string> = {}): Worker {
  const spec = catalog[name];
  worker.on('completed', () => jobsTotal.inc({ queue: name, outcome: 'completed' }));
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= spec.attempts;
    jobsTotal.inc({ queue: name, outcome: final ? 'failed' : 'retried' });
    log[final ? 'error' : 'warn']({ err, queue: name, jobId: job?.id, attempt: job?.attemptsMade, ...extra }, 'job failed');
  });
  worker.on('error', (err) => log.error({ err, queue: name, ...extra }, 'worker error'));
  return worker;
}

