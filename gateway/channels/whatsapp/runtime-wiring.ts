/**
 * How the composition root (bin/runtime.ts) builds the WhatsApp manager: Redis lease and pacer
 * when REDIS_URL is set (several processes), in-process ones otherwise (zero setup), and the real
 * Baileys socket factory unless a test injects one. Building it opens nothing; `start()` connects
 * only the Baileys channels that exist.
 */
import type { Config } from '../../../core/config.ts';
import type { Database } from '../../../core/db/client.ts';
import type { EventBus } from '../../../core/events.ts';
import type { Logger } from '../../../core/logger.ts';
import type { JobQueue } from '../../../core/queue.ts';
import { createMemoryLease, createRedisLease } from './lease.ts';
import { createWhatsAppManager, type WhatsAppManager, type WhatsAppManagerOptions } from './manager.ts';
import { createMemoryPacer, createRedisPacer } from './pacer.ts';
import { baileysSocketFactory } from './socket.ts';

export type { WhatsAppManager };

/** Overrides for tests and embedders (issue 8 plugs `onPlatformInbound` in here). */
export type WhatsAppRuntimeOptions = Partial<
  Pick<
    WhatsAppManagerOptions,
    'factory' | 'backoff' | 'standbyRetryMs' | 'rescanMs' | 'downloadMedia' | 'onPlatformInbound' | 'holderId' | 'ingest' | 'pendingRetryMs' | 'outboundRoute'
  >
> & { leaseTtlMs?: number };

export function createRuntimeWhatsApp(
  deps: { cfg: Config; db: Database; queue: JobQueue; bus: EventBus; log: Logger },
  opts: WhatsAppRuntimeOptions = {},
): WhatsAppManager {
  const { cfg } = deps;
  const holderId = opts.holderId ?? `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const { leaseTtlMs, ...rest } = opts;
  return createWhatsAppManager({
    db: deps.db,
    queue: deps.queue,
    bus: deps.bus,
    log: deps.log.child({ module: 'whatsapp' }),
    secretKey: cfg.secretKey,
    factory: baileysSocketFactory,
    lease: cfg.redisUrl
      ? createRedisLease(cfg.redisUrl, cfg.redisPrefix, { ownerId: holderId, ttlMs: leaseTtlMs })
      : createMemoryLease(),
    pacer: cfg.redisUrl ? createRedisPacer(cfg.redisUrl, cfg.redisPrefix) : createMemoryPacer(),
    ...rest,
    holderId,
  });
}
