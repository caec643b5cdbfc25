/**
 * Circuit breaker per LLM provider: the state machine and its in-process store.
 *
 *   closed ──(N consecutive failures, or failure rate ≥ R over the window once it holds
 *             ≥ M attempts, or a Retry-After)──▶ open
 *   open ──(cool-down elapsed: the next admit takes the probe slot)──▶ half_open
 *   half_open: exactly one probe is admitted (its slot is leased for `probeLeaseMs`, so a
 *             probe lost with its process frees the slot); probe success ▶ closed,
 *             probe failure ▶ open for another cool-down.
 *
 * A Retry-After (429/503) opens the breaker until then (the router caps the delay), so no
 * turn sleeps on it and no worker calls the provider before it asked us to.
 * The Redis store (breaker-redis.ts) runs the same rules in Lua so all workers agree.
 * Durations in ms; time comes from `now()` (injectable for tests).
 */

export type BreakerState = 'closed' | 'open' | 'half_open';
/** allow = normal call, probe = the single half-open trial, reject = skip without a call. */
export type Admission = 'allow' | 'probe' | 'reject';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  failures: number;
  /** Failure rate (0..1) over the window that opens it (default 0.5)… */
  failureRate: number;
  /** …measured over this rolling window, ms (default 60 000)… */
  windowMs: number;
  /** …once the window holds at least this many attempts (default 20). */
  minSamples: number;
  /** Time open before a probe may go, ms (default 30 000). */
  cooldownMs: number;
  /** How long an admitted probe holds the half-open slot, ms (default 20 000). */
  probeLeaseMs: number;
  now: () => number;
}

export const DEFAULT_BREAKER: Omit<BreakerOptions, 'now'> = {
  failures: 5,
  failureRate: 0.5,
  windowMs: 60_000,
  minSamples: 20,
  cooldownMs: 30_000,
  probeLeaseMs: 20_000,
};

export interface RecordInput {
  ok: boolean;
  /** True when this attempt was admitted as the half-open probe. */
  probe: boolean;
  /** Open now for this long (a provider's Retry-After, already capped), ms. */
  openForMs?: number;
}

/** Where breaker state lives: this process (memory) or Redis (shared by every worker). */
export interface BreakerStore {
  /** Decide whether a call to `provider` may go out; returns the admission and the state after it. */
  admit(provider: string): Promise<{ admission: Admission; state: BreakerState }>;
  /** Report an attempt's outcome; returns the state after it. */
  record(provider: string, input: RecordInput): Promise<BreakerState>;
  /** Current state (no side effects beyond reading). */
  state(provider: string): Promise<BreakerState>;
  close(): Promise<void>;
}

interface Entry {
  state: BreakerState;
  consec: number;
  openUntil: number;
  probeUntil: number;
  /** bucket index → [ok, fail] */
  buckets: Map<number, [number, number]>;
}

const BUCKETS = 10;

/** In-process breaker store (zero-setup mode, and the reference for the Lua version). */
export function createMemoryBreaker(opts: Partial<BreakerOptions> = {}): BreakerStore {
  const o: BreakerOptions = { ...DEFAULT_BREAKER, now: Date.now, ...opts };
  const bucketMs = Math.max(1, Math.floor(o.windowMs / BUCKETS));
  const entries = new Map<string, Entry>();
  const get = (p: string): Entry => {
    let e = entries.get(p);
    if (!e) entries.set(p, (e = { state: 'closed', consec: 0, openUntil: 0, probeUntil: 0, buckets: new Map() }));
    return e;
  };
  const open = (e: Entry, ms: number, now: number): BreakerState => {
    e.openUntil = Math.max(e.state === 'open' ? e.openUntil : 0, now + ms);
    e.state = 'open';
    e.consec = 0;
    e.buckets.clear();
    return 'open';
  };
  return {
    async admit(p) {
      const e = get(p);
      const now = o.now();
      if (e.state === 'closed') return { admission: 'allow', state: 'closed' };
      if (e.state === 'open' && now < e.openUntil) return { admission: 'reject', state: 'open' };
      if (e.state === 'half_open' && now < e.probeUntil) return { admission: 'reject', state: 'half_open' };
      e.state = 'half_open';
      e.probeUntil = now + o.probeLeaseMs;
      return { admission: 'probe', state: 'half_open' };
    },
    async record(p, { ok, probe, openForMs }) {
      const e = get(p);
      const now = o.now();
      if (openForMs && openForMs > 0) return open(e, openForMs, now);
      if (ok) {
        if (e.state === 'half_open' && probe) {
          entries.delete(p);
          return 'closed';
        }
        if (e.state !== 'closed') return e.state;
        e.consec = 0;
        bump(e, Math.floor(now / bucketMs), 0);
        return 'closed';
      }
      if (e.state === 'half_open') return probe ? open(e, o.cooldownMs, now) : e.state;
      if (e.state === 'open') return 'open';
      e.consec++;
      const [total, fails] = bump(e, Math.floor(now / bucketMs), 1);
      if (e.consec >= o.failures || (total >= o.minSamples && fails / total >= o.failureRate))
        return open(e, o.cooldownMs, now);
      return 'closed';
    },
    async state(p) {
      return entries.get(p)?.state ?? 'closed';
    },
    async close() {},
  };
}

/** Count one outcome in bucket `b`, drop buckets older than the window; returns [total, fails] in it. */
function bump(e: Entry, b: number, slot: 0 | 1): [number, number] {
  const cur = e.buckets.get(b) ?? [0, 0];
  cur[slot]++;
  e.buckets.set(b, cur);
  let total = 0;
  let fails = 0;
  for (const [idx, [ok, fail]] of e.buckets) {
    if (idx <= b - BUCKETS) e.buckets.delete(idx);
    else {
      total += ok + fail;
      fails += fail;
    }
  }
  return [total, fails];
}

/** Gauge encoding of a state: 0 closed, 1 half-open, 2 open. */
export function stateValue(s: BreakerState): number {
  return s === 'closed' ? 0 : s === 'half_open' ? 1 : 2;
}
