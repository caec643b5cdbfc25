/**
 * Routing policy: which traffic class a turn is served as. Separate from failover (the
 * router walks the chosen class's chain; the breaker decides who is skipped).
 *
 * A turn is real-time when its caller says so (`class: 'realtime'`, a live web chat) or
 * gives an explicit latency budget below `latencyThresholdMs`. Real-time turns go to the
 * real-time chain (Groq first) while the real-time share of all turns over the rolling
 * window stays within `shareCap`; beyond it they are served as standard (Gemini first).
 * The cap applies once the window holds `minSample` turns, so a quiet system still
 * answers its first live chats fast.
 *
 * The window is per process: when every process keeps its own share ≤ cap, the fleet's
 * share is ≤ cap too, with no shared state on the hot path.
 */
import type { TrafficClass } from './types.ts';

export interface PolicyOptions {
  /** Max real-time share, 0..1 (default 0.10). */
  shareCap: number;
  /** Rolling window, ms (default 60 000). */
  windowMs: number;
  /** Turns in the window before the cap applies (default 20). */
  minSample: number;
  /** Explicit latency budgets below this (ms) make a turn real-time (default 3000). */
  latencyThresholdMs: number;
  now: () => number;
}

export const DEFAULT_POLICY: Omit<PolicyOptions, 'now'> = {
  shareCap: 0.1,
  windowMs: 60_000,
  minSample: 20,
  latencyThresholdMs: 3_000,
};

export interface PolicyInput {
  class: TrafficClass;
  /** Explicit end-to-end latency budget for this turn, ms. */
  latencyBudgetMs?: number;
}

export interface PolicyDecision {
  class: TrafficClass;
  /** True when the turn asked for real-time but the share cap sent it to standard. */
  capped: boolean;
}

const BUCKETS = 20;

export class RoutingPolicy {
  private readonly o: PolicyOptions;
  private readonly bucketMs: number;
  /** ring of [bucket index, total, realtime] */
  private readonly ring: Array<[number, number, number]> = Array.from({ length: BUCKETS }, () => [-1, 0, 0]);

  constructor(opts: Partial<PolicyOptions> = {}) {
    this.o = { ...DEFAULT_POLICY, now: Date.now, ...opts };
    this.bucketMs = Math.max(1, Math.floor(this.o.windowMs / BUCKETS));
  }

  /** Decide and count one turn. O(buckets), no I/O. */
  decide(input: PolicyInput): PolicyDecision {
    const b = Math.floor(this.o.now() / this.bucketMs);
    const wants =
      input.class === 'realtime' ||
      (input.latencyBudgetMs !== undefined && input.latencyBudgetMs < this.o.latencyThresholdMs);
    let capped = false;
    if (wants) {
      const [total, rt] = this.sums(b);
      capped = total >= this.o.minSample && (rt + 1) / (total + 1) > this.o.shareCap;
    }
    const cls: TrafficClass = wants && !capped ? 'realtime' : 'standard';
    const slot = this.ring[b % BUCKETS]!;
    if (slot[0] !== b) slot.splice(0, 3, b, 0, 0);
    slot[1]++;
    if (cls === 'realtime') slot[2]++;
    return { class: cls, capped };
  }

  /** Real-time share (0..1) of the turns in the current window; 0 when empty. */
  share(): number {
    const [total, rt] = this.sums(Math.floor(this.o.now() / this.bucketMs));
    return total ? rt / total : 0;
  }

  private sums(b: number): [number, number] {
    let total = 0;
    let rt = 0;
    for (const [idx, t, r] of this.ring) {
      if (idx > b - BUCKETS) {
        total += t;
        rt += r;
      }
    }
    return [total, rt];
  }
}
