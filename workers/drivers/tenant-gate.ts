/**
 * Per-tenant in-flight cap for the queues the catalog marks `fair` (`inbound`): one tenant's
 * backlog (a campaign that makes 1,000 customers answer at once) may hold at most `cap` of this
 * process's job slots, so other tenants' turns keep starting while it drains.
 *
 * In-process and per worker process (N worker processes → at most N × cap turns of one tenant);
 * no Redis round trip on the hot path. A job over the cap is not run: the BullMQ driver moves
 * it back to delayed for `deferDelay()` ms (the inline driver simply leaves it in its ready list).
 * Deferred jobs of a tenant are spread over virtual slots `avgTurnMs / cap` apart (the rate at
 * which that tenant's cap frees up; avgTurnMs is an exponential moving average of its recent
 * job durations), so a backlog is re-fetched roughly once, not polled.
 */
export interface TenantGate {
  /** Take a slot for the tenant; false when it already has `cap` jobs running here. */
  tryAcquire(tenantId: string): boolean;
  /** Give the slot back; `durationMs` feeds the tenant's average turn time. */
  release(tenantId: string, durationMs: number): void;
  /** ms to delay a job refused by tryAcquire (≥ minDelayMs, ≤ maxDelayMs). */
  deferDelay(tenantId: string): number;
  /** Jobs running per tenant right now (tests, metrics). */
  inflight(tenantId: string): number;
}

export interface TenantGateOptions {
  cap: number;
  /** Average turn time assumed before a tenant has history, ms (1000). */
  initialTurnMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}

interface TenantState {
  running: number;
  avgMs: number;
  /** Next free virtual slot for a deferred job (epoch ms). */
  nextSlotAt: number;
}

export function createTenantGate(opts: TenantGateOptions): TenantGate {
  const { cap, initialTurnMs = 1000, minDelayMs = 50, maxDelayMs = 30_000, now = Date.now } = opts;
  const tenants = new Map<string, TenantState>();
  const state = (id: string) => {
    let s = tenants.get(id);
    if (!s) tenants.set(id, (s = { running: 0, avgMs: initialTurnMs, nextSlotAt: 0 }));
    return s;
  };
  return {
    tryAcquire(id) {
      const s = state(id);
      if (s.running >= cap) return false;
      s.running++;
      return true;
    },
    release(id, durationMs) {
      const s = state(id);
      s.running = Math.max(0, s.running - 1);
      s.avgMs = 0.8 * s.avgMs + 0.2 * Math.max(1, durationMs);
      // Forget idle tenants so the map stays bounded by the tenants active right now.
      if (s.running === 0 && s.nextSlotAt < now()) tenants.delete(id);
    },
    deferDelay(id) {
      const s = state(id);
      const t = now();
      const slot = Math.max(t + minDelayMs, s.nextSlotAt);
      s.nextSlotAt = slot + s.avgMs / cap;
      // A little jitter so deferred jobs of many tenants do not come back in lockstep.
      return Math.min(maxDelayMs, Math.round(slot - t + Math.random() * minDelayMs));
    },
    inflight: (id) => tenants.get(id)?.running ?? 0,
  };
}
