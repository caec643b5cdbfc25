/**
 * Traffic through the router against the provider fakes: the 95/5 split, the real-time
 * share cap, and an outage moving traffic down the chain with the breaker opening within
 * its threshold and one probe closing it on recovery. Routing policy and pricing units too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryBreaker } from '../../agents/llm/breaker.ts';
import { RoutingPolicy } from '../../agents/llm/policy.ts';
import { costUsdMicros } from '../../agents/llm/pricing.ts';
import { createRouter, type TurnMeta } from '../../agents/llm/router.ts';
import { loadConfig } from '../../core/config.ts';
import { registry } from '../../core/metrics.ts';
import { startRouterKit, type RouterKit } from '../helpers/router-fakes.ts';

let kit: RouterKit;
beforeAll(async () => {
  kit = await startRouterKit();
});
afterAll(async () => kit?.close());
beforeEach(() => kit.reset());

const req = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }] };

/** Run `n` turns, `concurrency` at a time; turn i is real-time when `realtime(i)`. */
async function traffic(router: ReturnType<typeof createRouter>, n: number, realtime: (i: number) => boolean, concurrency = 25) {
  const served: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const meta: TurnMeta = { tenantId: 't', class: realtime(i) ? 'realtime' : 'standard' };
        served.push((await router.generate(req, meta)).provider);
      }
    }),
  );
  return served;
}
const share = (xs: string[], p: string) => xs.filter((x) => x === p).length / xs.length;

describe('traffic split', () => {
  it('1,000 mixed turns with 5% live web chat land 95% ± 2% on Gemini, the rest on Groq', async () => {
    const router = createRouter({ providers: kit.providers, policy: new RoutingPolicy({ now: kit.clock.now }) });
    const served = await traffic(router, 1000, (i) => i % 20 === 7);
    expect(served).toHaveLength(1000);
    expect(share(served, 'gemini')).toBeGreaterThanOrEqual(0.93);
    expect(share(served, 'gemini')).toBeLessThanOrEqual(0.97);
    expect(share(served, 'gemini') + share(served, 'groq')).toBe(1);
    expect(kit.gemini.requests.length + kit.groq.requests.length).toBe(1000);
    expect(await registry.getSingleMetricAsString('aizalo_llm_realtime_share')).toMatch(/aizalo_llm_realtime_share 0\.0[45]/);
  });

  it('caps the real-time share: 40% live turns still put at most 10% (+1 turn) on Groq', async () => {
    const router = createRouter({ providers: kit.providers, policy: new RoutingPolicy({ shareCap: 0.1, now: kit.clock.now }) });
    const served = await traffic(router, 500, (i) => i % 5 < 2);
    expect(share(served, 'groq')).toBeLessThanOrEqual(0.1 + 1 / 500);
    expect(share(served, 'groq')).toBeGreaterThan(0.08);
  });
});

describe('outage', () => {
  it('Gemini failing: traffic moves down the chain, the breaker opens at the threshold, one probe closes it on recovery', async () => {
    const router = createRouter({
      providers: kit.providers,
      onAttempt: kit.log,
      breaker: createMemoryBreaker({ failures: 5, cooldownMs: 10_000, now: kit.clock.now }),
    });
    kit.gemini.setReply(() => ({ status: 503 }));
    const served = await traffic(router, 40, () => false, 1);
    expect(served.every((p) => p === 'groq')).toBe(true);
    expect(kit.gemini.requests).toHaveLength(5); // opened after exactly 5 failures
    expect(kit.attempts.filter((a) => a.outcome === 'breaker_open')).toHaveLength(35);
    expect(await registry.getSingleMetricAsString('aizalo_llm_breaker_state')).toContain('aizalo_llm_breaker_state{provider="gemini"} 2');

    kit.gemini.reset(); // recovered
    kit.clock.advance(10_001);
    const burst = await traffic(router, 10, () => false, 10);
    expect(kit.gemini.requests).toHaveLength(1); // one probe
    expect(burst.filter((p) => p === 'gemini')).toHaveLength(1);
    const after = await traffic(router, 20, () => false, 5);
    expect(after.every((p) => p === 'gemini')).toBe(true);
    expect(await registry.getSingleMetricAsString('aizalo_llm_breaker_state')).toContain('aizalo_llm_breaker_state{provider="gemini"} 0');
  });

  it('Gemini and Groq down: OpenAI answers; all down: the offline reply', async () => {
    const router = createRouter({ providers: kit.providers });
    kit.gemini.setReply(() => ({ status: 500 }));
    kit.groq.setReply(() => ({ status: 500 }));
    expect((await router.generate(req, { tenantId: 't', class: 'standard' })).provider).toBe('openai');
    kit.openai.setReply(() => ({ status: 500 }));
    expect((await router.generate(req, { tenantId: 't', class: 'realtime' })).provider).toBe('offline');
  });
});

describe('policy and pricing units', () => {
  it('an explicit latency budget below the threshold makes a turn real-time', () => {
    const p = new RoutingPolicy({ latencyThresholdMs: 3000 });
    expect(p.decide({ class: 'standard', latencyBudgetMs: 1500 }).class).toBe('realtime');
    expect(p.decide({ class: 'standard', latencyBudgetMs: 8000 }).class).toBe('standard');
    expect(p.decide({ class: 'standard' }).class).toBe('standard');
  });

  it('the cap applies only once the window holds the minimum sample, and forgets old turns', () => {
    let t = 0;
    const p = new RoutingPolicy({ shareCap: 0.1, minSample: 20, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 5; i++) expect(p.decide({ class: 'realtime' }).class).toBe('realtime');
    for (let i = 0; i < 15; i++) p.decide({ class: 'standard' });
    expect(p.decide({ class: 'realtime' })).toEqual({ class: 'standard', capped: true });
    t += 61_000;
    expect(p.share()).toBe(0);
    expect(p.decide({ class: 'realtime' }).class).toBe('realtime');
  });

  it('prices: exact or longest-prefix model match, USD micros, unknown → 0; config defaults and LLM_PRICES override', () => {
    const prices = loadConfig({ LLM_PRICES: '{"gpt-4o-mini":[1000000,2000000]}' }).llmRouting.prices;
    expect(costUsdMicros(prices, 'gemini-2.5-flash-001', 1_000_000, 0)).toBe(300_000);
    expect(costUsdMicros(prices, 'gpt-4o-mini', 10, 10)).toBe(30);
    expect(costUsdMicros(prices, 'offline', 10, 10)).toBe(0);
    expect(() => loadConfig({ LLM_REALTIME_SHARE_CAP: '1.5' })).toThrow(/LLM_REALTIME_SHARE_CAP/);
  });
});
