/**
 * Breaker store shared through Redis, so every gateway/worker process agrees on each
 * provider's state. Same rules as `createMemoryBreaker` (breaker.ts), run as two Lua
 * scripts so admission (one probe only) and recording are atomic.
 *
 * Keys: `{prefix}:llm:breaker:{provider}`, a hash with `state`, `consec`, `openUntil`,
 * `probeUntil`, and window buckets `o:<n>` / `f:<n>` (ok / failure counts per tenth of the
 * window). Keys expire once idle for window + cool-down (+ any Retry-After).
 * Time: the caller's `now()` (ms), passed in, so tests can drive the clock.
 *
 * Redis trouble never blocks a reply: on an error the store admits the call ('allow') and
 * drops the record (fail-open), logging through `onError`.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_BREAKER, type Admission, type BreakerOptions, type BreakerState, type BreakerStore } from './breaker.ts';

const ADMIT = `
local s = redis.call('HMGET', KEYS[1], 'state', 'openUntil', 'probeUntil')
local now = tonumber(ARGV[1])
local state = s[1] or 'closed'
if state == 'closed' then return {'allow', 'closed'} end
if state == 'open' and now < tonumber(s[2] or '0') then return {'reject', 'open'} end
if state == 'half_open' and now < tonumber(s[3] or '0') then return {'reject', 'half_open'} end
redis.call('HSET', KEYS[1], 'state', 'half_open', 'probeUntil', now + tonumber(ARGV[2]))
return {'probe', 'half_open'}`;

// ARGV: now, ok, probe, openForMs, failures, failureRate, minSamples, windowMs, cooldownMs
const RECORD = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local ok, probe, openFor = ARGV[2] == '1', ARGV[3] == '1', tonumber(ARGV[4])
local win, cool = tonumber(ARGV[8]), tonumber(ARGV[9])
local bucketMs = math.max(1, math.floor(win / 10))
local b = math.floor(now / bucketMs)
local state = redis.call('HGET', key, 'state') or 'closed'
local function open(ms)
  local untilMs = now + ms
  if state == 'open' then untilMs = math.max(untilMs, tonumber(redis.call('HGET', key, 'openUntil') or '0')) end
  redis.call('DEL', key)
  redis.call('HSET', key, 'state', 'open', 'openUntil', untilMs)
  redis.call('PEXPIRE', key, untilMs - now + win + cool)
  return 'open'
end
local function bump(field)
  if redis.call('HINCRBY', key, field .. b, 1) > 1 and field == 'o:' then return 0, 0 end
  local total, fails = 0, 0
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local f = all[i]
    local kind = string.sub(f, 1, 2)
    if kind == 'o:' or kind == 'f:' then
      if tonumber(string.sub(f, 3)) <= b - 10 then redis.call('HDEL', key, f)
      else
        total = total + tonumber(all[i + 1])
        if kind == 'f:' then fails = fails + tonumber(all[i + 1]) end
      end
    end
  end
  redis.call('PEXPIRE', key, win + cool)
  return total, fails
end
if openFor > 0 then return open(openFor) end
if ok then
  if state == 'half_open' and probe then redis.call('DEL', key) return 'closed' end
  if state ~= 'closed' then return state end
  redis.call('HSET', key, 'consec', 0)
  bump('o:')
  return 'closed'
end
if state == 'half_open' then if probe then return open(cool) end return state end
if state == 'open' then return 'open' end
local consec = redis.call('HINCRBY', key, 'consec', 1)
local total, fails = bump('f:')
if consec >= tonumber(ARGV[5]) or (total >= tonumber(ARGV[7]) and fails / total >= tonumber(ARGV[6])) then
  return open(cool)
end
return 'closed'`;

type BreakerRedis = Redis & {
  llmBreakerAdmit(key: string, now: number, lease: number): Promise<[Admission, BreakerState]>;
  llmBreakerRecord(key: string, ...args: Array<string | number>): Promise<BreakerState>;
};

export interface RedisBreakerOptions extends Partial<BreakerOptions> {
  redis: Redis;
  /** Key prefix (cfg.redisPrefix). */
  prefix: string;
  onError?: (err: unknown) => void;
}

/** Breaker store on Redis (scripts loaded with `defineCommand`, so calls go as EVALSHA). */
export function createRedisBreaker(opts: RedisBreakerOptions): BreakerStore {
  const o: BreakerOptions = { ...DEFAULT_BREAKER, now: Date.now, ...opts };
  if (!('llmBreakerAdmit' in opts.redis)) {
    opts.redis.defineCommand('llmBreakerAdmit', { numberOfKeys: 1, lua: ADMIT });
    opts.redis.defineCommand('llmBreakerRecord', { numberOfKeys: 1, lua: RECORD });
  }
  const redis = opts.redis as BreakerRedis;
  const key = (p: string) => `${opts.prefix}:llm:breaker:${p}`;
  const fail = (err: unknown) => opts.onError?.(err);
  return {
    async admit(p) {
      try {
        const [admission, state] = await redis.llmBreakerAdmit(key(p), o.now(), o.probeLeaseMs);
        return { admission, state };
      } catch (err) {
        fail(err);
        return { admission: 'allow', state: 'closed' };
      }
    },
    async record(p, { ok, probe, openForMs }) {
      try {
        return await redis.llmBreakerRecord(
          key(p),
          o.now(),
          ok ? 1 : 0,
          probe ? 1 : 0,
          Math.max(0, Math.round(openForMs ?? 0)),
          o.failures,
          o.failureRate,
          o.minSamples,
          o.windowMs,
          o.cooldownMs,
        );
      } catch (err) {
        fail(err);
        return 'closed';
      }
    },
    async state(p) {
      try {
        return ((await redis.hget(key(p), 'state')) as BreakerState | null) ?? 'closed';
      } catch (err) {
        fail(err);
        return 'closed';
      }
    },
    async close() {},
  };
}
