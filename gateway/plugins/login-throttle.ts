/**
 * Failed-login backoff per (account, client address), and a per-account failure count for
 * alerts. Storage: Redis when REDIS_URL is set (every gateway process shares it), else an
 * in-process LRU. @fastify/rate-limit counts fixed windows but cannot grow a lock with each
 * failure, hence these few primitives (INCR + PEXPIRE for counts, SET PX for locks).
 *
 * Policy (counts from cfg.security): the first `free` failures of one account from one address
 * within the window cost nothing; each further failure locks that pair for
 * base × 2^(failures − free) ms, capped at max. A lock answers 429 without checking the password.
 * The owner signing in from another address has their own pair and is never locked out by an
 * attacker's failures (issue 14, finding 8). A success clears the pair.
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

export interface LoginThrottle {
  /** Remaining lock of this pair, ms (0 = may try). */
  lockedFor(pair: string): Promise<number>;
  /**
   * Record one failure of the pair and of the account.
   * @returns the account's failures in the window (all addresses) and the lock now set, ms.
   */
  fail(pair: string, account: string): Promise<{ accountFailures: number; lockMs: number }>;
  /** A successful sign-in: the pair starts afresh. */
  succeed(pair: string): Promise<void>;
}

export interface ThrottlePolicy {
  free: number;
  baseMs: number;
  maxMs: number;
  windowMs: number;
}

/** base × 2^(failures − free), capped; 0 while within the free failures. */
export function backoffMs(failures: number, p: ThrottlePolicy): number {
  if (failures < p.free) return 0;
  return Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, failures - p.free));
}

export function createLoginThrottle(policy: ThrottlePolicy, redis?: Redis, prefix = 'aizalo'): LoginThrottle {
  const k = (kind: string, id: string) => `${prefix}:login:${kind}:${id}`;
  if (redis) {
    const incr = async (key: string) => {
      const [[, n]] = (await redis.multi().incr(key).pexpire(key, policy.windowMs, 'NX').exec()) as [[Error | null, number]];
      return n;
    };
    return {
      async lockedFor(pair) {
        return Math.max(0, await redis.pttl(k('lock', pair)));
      },
      async fail(pair, account) {
        const [pairFailures, accountFailures] = await Promise.all([incr(k('pair', pair)), incr(k('acct', account))]);
        const lockMs = backoffMs(pairFailures, policy);
        if (lockMs > 0) await redis.set(k('lock', pair), '1', 'PX', lockMs);
        return { accountFailures, lockMs };
      },
      async succeed(pair) {
        await redis.del(k('pair', pair), k('lock', pair));
      },
    };
  }
  const counts = new LRUCache<string, number>({ max: 100_000, ttl: policy.windowMs, noUpdateTTL: true });
  const locks = new LRUCache<string, number>({ max: 100_000, ttl: policy.maxMs || 1 });
  const bump = (key: string) => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  };
  return {
    async lockedFor(pair) {
      return Math.max(0, (locks.get(pair) ?? 0) - Date.now());
    },
    async fail(pair, account) {
      const lockMs = backoffMs(bump(`p:${pair}`), policy);
      if (lockMs > 0) locks.set(pair, Date.now() + lockMs, { ttl: lockMs });
      return { accountFailures: bump(`a:${account}`), lockMs };
    },
    async succeed(pair) {
      counts.delete(`p:${pair}`);
      locks.delete(pair);
    },
  };
}
