/**
 * Inline queue driver for zero-setup mode: jobs run in this process, with the catalog's attempts,
 * exponential backoff, timeout and concurrency, and jobId dedupe while a job is pending or running
 * (a finished job's id is forgotten, so memory stays bounded and the recovery sweep can retry a
 * message whose job failed for good; the message's database status prevents double work). Jobs do not survive a restart — the durable record is the database (an inbound
 * message stays `received` and is re-enqueued on the next delivery or by startup recovery).
 * Fairness: on `fair` queues a ready job whose tenant already has its cap running stays in the
 * ready list while other tenants' jobs start (no deferral needed in-process).
 */
import type { EnqueueOptions, JobPayloads, QueueName } from '../../core/queue.ts';
import type { Logger } from '../../core/logger.ts';
import { jobsTotal } from '../../core/metrics.ts';
import { catalog, concurrencyOf, DEFAULT_TENANT_CAP, type DriverOptions } from '../catalog.ts';
import type { JobHandlers, QueueDriver } from './driver.ts';
import { backoffDelay, validatePayload, withTimeout } from './validate.ts';
import { createTenantGate } from './tenant-gate.ts';

interface Pending {
  name: QueueName;
  id: string;
  payload: unknown;
  attempt: number;
  /** Partition key of a routed queue: runs only while this process serves it. */
  partition?: string;
}

/** @param opts per-process concurrency overrides and the per-tenant cap (Config.throughput). */
export function createInlineDriver(log: Logger, opts: DriverOptions = {}): QueueDriver & { idle(): Promise<void> } {
  const gate = createTenantGate({ cap: opts.tenantCap ?? DEFAULT_TENANT_CAP });
  const tenantOf = (job: Pending) => (catalog[job.name].fair ? (job.payload as { tenantId?: string }).tenantId : undefined);
  const known = new Set<string>();
  const ready: Pending[] = [];
  const timers = new Map<NodeJS.Timeout, Pending>();
  const running = new Map<QueueName, number>();
  let handlers: JobHandlers = {};
  let active: Set<string> | undefined;
  const served = new Set<string>();
  const timersRepeat = new Set<NodeJS.Timeout>();
  let closed = false;
  let seq = 0;
  const closeCtl = new AbortController();
  let idleWaiters: Array<() => void> = [];

  const busy = () => ready.length > 0 || timers.size > 0 || [...running.values()].some((n) => n > 0);
  const checkIdle = () => {
    if (!busy()) {
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach((f) => f());
    }
  };

  const schedule = (job: Pending, delayMs: number) => {
    if (delayMs <= 0) {
      ready.push(job);
      setImmediate(pump);
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      ready.push(job);
      pump();
    }, delayMs);
    timers.set(t, job);
  };

  const pump = () => {
    if (closed) return;
    for (let i = 0; i < ready.length; ) {
      const job = ready[i]!;
      const handler = handlers[job.name] as ((p: unknown, c: any) => Promise<void>) | undefined;
      const n = running.get(job.name) ?? 0;
      const consumed = job.partition !== undefined ? served.has(`${job.name}:${job.partition}`) : !active || active.has(job.name);
      const tenantId = tenantOf(job);
      if (!handler || !consumed || n >= concurrencyOf(job.name, opts) || (tenantId && !gate.tryAcquire(tenantId))) {
        i++;
        continue;
      }
      ready.splice(i, 1);
      running.set(job.name, n + 1);
      const started = Date.now();
      void run(job, handler).finally(() => {
        if (tenantId) gate.release(tenantId, Date.now() - started);
        running.set(job.name, (running.get(job.name) ?? 1) - 1);
        pump();
        checkIdle();
      });
    }
    checkIdle();
  };

  const run = async (job: Pending, handler: (p: unknown, c: any) => Promise<void>) => {
    const spec = catalog[job.name];
    try {
      await withTimeout(
        job.name,
        (signal) => handler(job.payload, { jobId: job.id, attempt: job.attempt, final: job.attempt >= spec.attempts, signal }),
        closeCtl.signal,
      );
      jobsTotal.inc({ queue: job.name, outcome: 'completed' });
      known.delete(`${job.name}:${job.id}`);
    } catch (err) {
      if (job.attempt < spec.attempts && !closed) {
        jobsTotal.inc({ queue: job.name, outcome: 'retried' });
        log.warn({ err, queue: job.name, jobId: job.id, attempt: job.attempt }, 'job failed, retrying');
        schedule({ ...job, attempt: job.attempt + 1 }, backoffDelay(job.name, job.attempt));
      } else {
        jobsTotal.inc({ queue: job.name, outcome: 'failed' });
        known.delete(`${job.name}:${job.id}`);
        log.error({ err, queue: job.name, jobId: job.id, attempt: job.attempt }, 'job failed for good');
      }
    }
  };

  async function enqueue<K extends QueueName>(name: K, payload: JobPayloads[K], opts: EnqueueOptions = {}): Promise<void> {
    validatePayload(name, payload);
    const id = opts.jobId ?? `auto-${++seq}`;
    if (known.has(`${name}:${id}`)) return;
    known.add(`${name}:${id}`);
    const by = catalog[name].partitionBy;
    const partition = by ? String((payload as Record<string, unknown>)[by]) : undefined;
    schedule({ name, id, payload, attempt: 1, partition }, opts.delayMs ?? 0);
  }

  return {
    kind: 'inline',
    enqueue,
    serve(name, key) {
      served.add(`${name}:${key}`);
      setImmediate(pump);
    },
    async unserve(name, key) {
      served.delete(`${name}:${key}`);
    },
    async repeat(name, schedulerId, everyMs, payload) {
      const tick = () =>
        enqueue(name, payload, { jobId: `${schedulerId}-${Math.floor(Date.now() / everyMs)}` }).catch((err) =>
          log.error({ err, queue: name }, 'scheduled enqueue failed'),
        );
      const first = setTimeout(tick, Math.min(5_000, everyMs));
      const timer = setInterval(tick, everyMs);
      first.unref();
      timer.unref();
      timersRepeat.add(first).add(timer);
      return async () => {
        clearTimeout(first);
        clearInterval(timer);
        timersRepeat.delete(first);
        timersRepeat.delete(timer);
      };
    },
    async start(h, act) {
      handlers = h;
      active = act ? new Set(act) : undefined;
      pump();
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const name of Object.keys(catalog)) out[name] = running.get(name as QueueName) ?? 0;
      for (const j of [...ready, ...timers.values()]) out[j.name] = (out[j.name] ?? 0) + 1;
      return out;
    },
    /** Resolves when no job is ready, running or delayed (tests and graceful shutdown). */
    idle() {
      return busy() ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve();
    },
    async close() {
      closed = true;
      timersRepeat.forEach((t) => clearInterval(t));
      timers.forEach((_job, t) => clearTimeout(t));
      timers.clear();
      ready.length = 0;
      const deadline = Date.now() + 5000;
      while ([...running.values()].some((n) => n > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      closeCtl.abort(new Error('queue closed'));
    },
  };
}
