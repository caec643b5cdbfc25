/**
 * BullMQ connection options from a `redis://` or `rediss://` URL (user, password, db index, TLS).
 * Options rather than a shared ioredis instance, so every Queue and Worker owns (and closes) its
 * own connections. `maxRetriesPerRequest: null` is what BullMQ requires for workers.
 */
import type { ConnectionOptions } from 'bullmq';

export function connectionFrom(redisUrl: string): ConnectionOptions {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
