/**
 * Outbound pacing for a WhatsApp number (anti-ban): sends from one channel are spaced by at least
 * `minIntervalMs` plus a random jitter in [0, jitterMs] — enforced by `SendGate` in the process
 * that holds the channel's socket (only that process can send, so the gate sees every send) —
 * and first messages to *new* contacts (numbers that never wrote to us on this channel) are
 * capped per UTC day, counted in Redis across processes (in-process in zero-setup mode).
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
   * Count a first message to a new contact against today's cap.
   * @returns false when the cap is reached (nothing counted).
   */
  admitNewContact(channelId: string, to: string, p: PacingSettings): Promise<boolean>;
  close(): Promise<void>;
}

const day = () => new Date().toISOString().slice(0, 10);

// KEYS[1] set of today's new contacts; ARGV to, cap → 1 admitted, 0 refused.
const ADMIT = `if redis.call('sismember', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('scard', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('sadd', KEYS[1], ARGV[1])
redis.call('pexpire', KEYS[1], 172800000)
return 1`;

const spacing = (p: PacingSettings) => p.minIntervalMs + Math.round(Math.random() * p.jitterMs);

export function createRedisPacer(redisUrl: string, prefix: string): Pacer {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', () => {}); // surfaces as failed commands
  return {
    async admitNewContact(channelId, to, p) {
      return Number(await redis.eval(ADMIT, 1, `${prefix}:wa:new:${channelId}:${day()}`, to, String(p.newContactsPerDay))) === 1;
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function createMemoryPacer(): Pacer {
  const fresh = new Map<string, Set<string>>();
  return {
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
      fresh.clear();
    },
  };
}

/**
 * Serialises the sends of each channel in this process: `run` waits until the previous send of
 * the channel finished and at least (minIntervalMs + jitter) has passed since it, calling
 * `beforeSend(at)` first so typing can start ahead of the slot.
 */
export class SendGate {
  private tails = new Map<string, Promise<unknown>>();
  private last = new Map<string, number>();

  run<T>(channelId: string, p: PacingSettings, fn: (slotAt: number) => Promise<T>): Promise<T> {
    const prev = this.tails.get(channelId) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(async () => {
      const at = Math.max(Date.now(), (this.last.get(channelId) ?? 0) + spacing(p));
      try {
        return await fn(at);
      } finally {
        this.last.set(channelId, Math.max(at, Date.now()));
      }
    });
    this.tails.set(channelId, next);
    void next.finally(() => {
      if (this.tails.get(channelId) === next) this.tails.delete(channelId);
    }).catch(() => {});
    return next;
  }
}
