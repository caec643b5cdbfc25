/**
 * Outbound pacing for a WhatsApp number (anti-ban): sends from one channel are spaced by at least
 * `minIntervalMs` plus a random jitter in [0, jitterMs], across all processes (a Redis slot per
 * channel; in-process in zero-setup mode), and messages to *new* contacts (numbers that never
 * wrote to us on this channel) are capped per day.
 */
import { Redis } from 'ioredis';

export interface PacingSettings {
  /** Minimum spacing between two sends of one channel (ms; default 1000). */
  minIntervalMs: number;
  /** Extra random spacing, uniform in [0, jitterMs] (ms; default 500). */
  jitterMs: number;
  /** First messages to numbers that never wrote to us, per channel per UTC day (default 20). */
  newContactsPerDay: number;
  /** Typing presence shown before each send (ms; default 1200). */
  typingMs: number;
}

export const DEFAULT_PACING: PacingSettings = { minIntervalMs: 1000, jitterMs: 500, newContactsPerDay: 20, typingMs: 1200 };

/** Channel settings.whatsapp.pacing merged over the defaults (bad values ignored). */
export function pacingOf(settings: Record<string, unknown> | null | undefined): PacingSettings {
  const raw = ((settings?.whatsapp as Record<string, unknown> | undefined)?.pacing ?? {}) as Record<string, unknown>;
  const out = { ...DEFAULT_PACING };
  for (const k of Object.keys(out) as (keyof PacingSettings)[]) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return out;
}

export interface Pacer {
  /**
   * Reserve the next send slot of a channel.
   * @returns the epoch ms at which this send may go out (≥ now).
   */
  reserve(channelId: string, p: PacingSettings): Promise<number>;
  /**
   * Count a first message to a new contact against today's cap.
   * @returns false when the cap is reached (nothing counted).
   */
  admitNewContact(channelId: string, to: string, p: PacingSettings): Promise<boolean>;
  close(): Promise<void>;
}

const day = () => new Date().toISOString().slice(0, 10);

// KEYS[1] slot; ARGV now, spacing (interval + jitter) → the reserved send time.
const RESERVE = `local last = tonumber(redis.call('get', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local at = now
if last > now then at = last end
redis.call('set', KEYS[1], tostring(at + tonumber(ARGV[2])), 'PX', at - now + tonumber(ARGV[2]) + 60000)
return at`;
// KEYS[1] set of today's new contacts; ARGV to, cap → 1 admitted, 0 refused.
const ADMIT = `if redis.call('sismember', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('scard', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('sadd', KEYS[1], ARGV[1])
redis.call('pexpire', KEYS[1], 172800000)
return 1`;

const spacing = (p: PacingSettings) => p.minIntervalMs + Math.round(Math.random() * p.jitterMs);

export function createRedisPacer(redisUrl: string, prefix: string): Pacer {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  return {
    async reserve(channelId, p) {
      return Number(await redis.eval(RESERVE, 1, `${prefix}:wa:pace:${channelId}`, String(Date.now()), String(spacing(p))));
    },
    async admitNewContact(channelId, to, p) {
      return Number(await redis.eval(ADMIT, 1, `${prefix}:wa:new:${channelId}:${day()}`, to, String(p.newContactsPerDay))) === 1;
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function createMemoryPacer(): Pacer {
  const next = new Map<string, number>();
  const fresh = new Map<string, Set<string>>();
  return {
    async reserve(channelId, p) {
      const at = Math.max(Date.now(), next.get(channelId) ?? 0);
      next.set(channelId, at + spacing(p));
      return at;
    },
    async admitNewContact(channelId, to, p) {
      const key = `${channelId}:${day()}`;
      const set = fresh.get(key) ?? new Set<string>();
      fresh.set(key, set);
      if (set.has(to)) return true;
      if (set.size >= p.newContactsPerDay) return false;
      set.add(to);
      return true;
    },
    async close() {
      next.clear();
      fresh.clear();
    },
  };
}
