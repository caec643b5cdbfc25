/**
 * Router options from Config: deadlines, the routing policy, the price table and the
 * breaker store — shared through Redis (keys under `cfg.redisPrefix`) when `cfg.redisUrl`
 * is set, in-process otherwise (zero-setup mode). Owns the breaker's Redis connection.
 */
import { Redis } from 'ioredis';
import type { Config } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import { createMemoryBreaker, type BreakerOptions } from './breaker.ts';
import { createRedisBreaker } from './breaker-redis.ts';
import { RoutingPolicy } from './policy.ts';
import type { RouterOptions } from './router.ts';

export interface RouterSupport {
  options: Required<Pick<RouterOptions, 'attemptTimeoutMs' | 'turnBudgetMs' | 'breaker' | 'policy' | 'prices' | 'retryAfterCapMs'>>;
  /** Closes the breaker's Redis connection (if any). */
  close(): Promise<void>;
}

export function createRouterSupport(cfg: Config, log?: Logger): RouterSupport {
  const r = cfg.llmRouting;
  const breakerOpts: Partial<BreakerOptions> = {
    failures: r.breakerFailures,
    failureRate: r.breakerFailureRate,
    windowMs: r.breakerWindowMs,
    minSamples: r.breakerMinSamples,
    cooldownMs: r.breakerCooldownMs,
    // A probe holds the half-open slot for as long as one attempt may take.
    probeLeaseMs: cfg.llmAttemptTimeoutMs + 1_000,
  };
  // Short command timeout: a slow Redis must not slow replies (the store fails open).
  const redis = cfg.redisUrl ? new Redis(cfg.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 250 }) : undefined;
  redis?.on('error', (err) => log?.warn({ err }, 'llm breaker redis error'));
  const breaker = redis
    ? createRedisBreaker({ ...breakerOpts, redis, prefix: cfg.redisPrefix, onError: (err) => log?.warn({ err }, 'llm breaker store failed open') })
    : createMemoryBreaker(breakerOpts);
  return {
    options: {
      attemptTimeoutMs: cfg.llmAttemptTimeoutMs,
      turnBudgetMs: cfg.llmTurnBudgetMs,
      breaker,
      policy: new RoutingPolicy({
        shareCap: r.realtimeShareCap,
        windowMs: r.realtimeWindowMs,
        minSample: r.realtimeMinSample,
        latencyThresholdMs: r.realtimeLatencyMs,
      }),
      prices: r.prices,
      retryAfterCapMs: r.retryAfterCapMs,
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
