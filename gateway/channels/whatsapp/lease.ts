/**
 * "Exactly one live socket per channel": a lease per WhatsApp channel.
 *
 * Redis (production, several processes): `SET key owner:token NX PX ttl`, renewed every ttl/3
 * with a compare-and-PEXPIRE script and released with compare-and-DEL; the token comes from an
 * INCR counter, so it grows with every new holder and doubles as a fencing token (recorded in
 * whatsapp_sessions.fence; auth writes with an older token are refused, see auth-state.ts).
 * A holder whose renewals keep failing gives the lease up (`onLost`) before its key can lapse.
 * Memory (zero-setup, one process): the same contract within the process.
 */
import { Redis } from 'ioredis';

export interface LeaseHandle {
  /** Fencing token: strictly greater than every earlier holder's. */
  token: number;
  /** Stop renewing and give the lease up (idempotent). */
  release(): Promise<void>;
}

export interface LeaseProvider {
  /**
   * Try to take the lease of a channel. `onLost` fires once if a renewal finds the lease gone or
   * taken over, or no renewal succeeded for ttl - margin (the holder must end its socket at once).
   * @returns the handle, or undefined when another holder has it.
   */
  acquire(channelId: string, onLost: () => void): Promise<LeaseHandle | undefined>;
  close(): Promise<void>;
}

export interface LeaseOptions {
  /** Lease time to live in ms (default 30 000); renewed every ttlMs / 3. */
  ttlMs?: number;
  /** Identifies this process/manager in the lease value (logs, debugging). */
  ownerId: string;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisLease(redisUrl: string, prefix: string, opts: LeaseOptions): LeaseProvider {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  // Connection errors surface as failed commands (handled above); no unhandled 'error' events.
  redis.on('error', () => {});
  const ttl = opts.ttlMs ?? 30_000;
  const key = (channelId: string) => `${prefix}:wa:lease:${channelId}`;
  return {
    async acquire(channelId, onLost) {
      if (await redis.exists(key(channelId))) return undefined;
      const token = await redis.incr(`${prefix}:wa:fence:${channelId}`);
      const value = `${opts.ownerId}:${token}`;
      const setAt = Date.now();
      const ok = await redis.set(key(channelId), value, 'PX', ttl, 'NX');
      if (ok !== 'OK') return undefined;
      let released = false;
      // Fail closed: if no renewal succeeded for ttl - margin (Redis unreachable, renewals
      // erroring or hanging), the key may lapse and another process may take it, so the holder
      // gives the lease up first (onLost ends its socket) instead of keeping a second socket.
      const margin = Math.max(25, Math.floor(ttl / 10));
      let deadline: NodeJS.Timeout | undefined;
      const lose = () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        clearTimeout(deadline);
        onLost();
      };
      /** @param since when the successful SET/PEXPIRE was sent (the key's ttl started after it). */
      const arm = (since: number) => {
        clearTimeout(deadline);
        deadline = setTimeout(lose, Math.max(0, since + ttl - margin - Date.now()));
        deadline.unref();
      };
      const timer = setInterval(() => {
        const sentAt = Date.now();
        redis
          .eval(RENEW, 1, key(channelId), value, String(ttl))
          .then((n) => {
            if (released) return;
            if (Number(n) === 1) arm(sentAt);
            else lose();
          })
          // A failed renewal is retried on the next tick; the deadline above ends the lease in time.
          .catch(() => {});
      }, Math.max(50, Math.floor(ttl / 3)));
      arm(setAt);
      timer.unref();
      return {
        token,
        async release() {
          if (released) return;
          released = true;
          clearInterval(timer);
          clearTimeout(deadline);
          await redis.eval(RELEASE, 1, key(channelId), value).catch(() => {});
        },
      };
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function createMemoryLease(): LeaseProvider {
  const held = new Map<string, number>();
  let counter = 0;
  return {
    async acquire(channelId) {
      if (held.has(channelId)) return undefined;
      const token = ++counter;
      held.set(channelId, token);
      return {
        token,
        async release() {
          if (held.get(channelId) === token) held.delete(channelId);
        },
      };
    },
    async close() {
      held.clear();
    },
  };
}
