/**
 * Router failover against the provider fakes (real Gemini / Groq / OpenAI wire formats):
 * every fault, plain and streaming, ends in exactly one reply from the next provider or the
 * offline fallback; Retry-After opens the breaker instead of sleeping the turn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryBreaker } from '../../agents/llm/breaker.ts';
import { OFFLINE_REPLY } from '../../agents/llm/offline-provider.ts';
import { createRouter, type StreamingLlmRouter } from '../../agents/llm/router.ts';
import type { GenerateRequest } from '../../agents/llm/types.ts';
import type { LlmBehaviour } from '../fakes/http-fake.ts';
import { drain, startRouterKit, type RouterKit } from '../helpers/router-fakes.ts';

let kit: RouterKit;
let router: StreamingLlmRouter;
const req: GenerateRequest = { system: 'You are a hotel assistant.', messages: [{ role: 'user', content: 'Room price?' }] };
const meta = { tenantId: '00000000-0000-4000-8000-000000000001', class: 'standard' as const };
const PRICES = { 'gemini-2.5-flash': [300_000, 2_500_000], 'llama-3.3-70b-versatile': [590_000, 790_000] } as const;

function fresh(): StreamingLlmRouter {
  return createRouter({
    providers: kit.providers,
    attemptTimeoutMs: 1_000,
    turnBudgetMs: 5_000,
    onAttempt: kit.log,
    prices: PRICES,
    retryAfterCapMs: 10_000,
    breaker: createMemoryBreaker({ failures: 3, now: kit.clock.now }),
  });
}

/**
 * Each describe gets its own fakes, clock and router (registered inside it), so no describe
 * depends on what an earlier one left behind (clock advances, late replies still in flight).
 */
function freshKitPerDescribe(): void {
  beforeAll(async () => {
    kit = await startRouterKit();
    // Warm the SDKs up (first calls load modules), so the 1 s deadline only catches real hangs.
    for (const p of [kit.providers.gemini, kit.providers.groq, kit.providers.openai]) await p.generate(req);
  });
  afterAll(async () => kit?.close());
  beforeEach(() => {
    kit.reset();
    router = fresh();
  });
}

const FAULTS: Array<[string, LlmBehaviour, string]> = [
  ['500', { status: 500 }, 'server'],
  ['429 with Retry-After', { status: 429, retryAfter: 3 }, 'rate_limited'],
  ['a hang past the deadline', { hang: true }, 'timeout'],
  ['a malformed body', { malformed: true }, 'malformed'],
  ['a connection cut before the first token', { cutBeforeFirstToken: true }, 'connection'],
  ['a connection cut after the first token', { cutAfterFirstToken: true }, 'connection'],
];

describe('generate', () => {
  freshKitPerDescribe();
  it.each(FAULTS)('Gemini %s → exactly one reply, from Groq', async (_name, fault, kind) => {
    kit.gemini.script({ ...fault, text: 'partial gemini answer here' });
    const r = await router.generate(req, meta);
    expect(r).toMatchObject({ provider: 'groq', text: 'Hello from fake groq', offline: false, fallbackDepth: 1 });
    expect(kit.gemini.requests).toHaveLength(1);
    expect(kit.groq.requests).toHaveLength(1);
    expect(kit.openai.requests).toHaveLength(0);
    expect(kit.attempts.map((a) => [a.provider, a.outcome, a.fallbackDepth])).toEqual([
      ['gemini', expect.stringMatching(kind === 'connection' ? /connection|malformed/ : kind), 0],
      ['groq', 'ok', 1],
    ]);
  });

  it('every provider failing → the offline reply, once, flagged offline', async () => {
    for (const f of [kit.gemini, kit.groq, kit.openai]) f.script({ status: 503 });
    const r = await router.generate(req, meta);
    expect(r).toMatchObject({ provider: 'offline', offline: true, text: OFFLINE_REPLY, fallbackDepth: 3 });
    expect(kit.attempts.map((a) => a.outcome)).toEqual(['server', 'server', 'server', 'ok']);
  });

  it('a late answer after the deadline is dropped: one reply only', async () => {
    kit.gemini.script({ delayMs: 1_500, text: 'too late' });
    const r = await router.generate(req, meta);
    expect(r.provider).toBe('groq');
    // Wait until the fake Gemini has actually written its late answer, then count replies.
    await expect.poll(() => kit.gemini.answered, { timeout: 5_000 }).toBe(1);
    expect(kit.attempts.filter((a) => a.outcome === 'ok')).toHaveLength(1);
  });

  it('a 429 Retry-After opens Gemini until then: later turns skip it without a call, then one probe goes', async () => {
    kit.gemini.script({ status: 429, retryAfter: 3 });
    await router.generate(req, meta);
    const r2 = await router.generate(req, meta);
    expect(r2.provider).toBe('groq');
    expect(kit.gemini.requests).toHaveLength(1); // no network call while it asked us to wait
    expect(kit.attempts.at(-2)).toMatchObject({ provider: 'gemini', outcome: 'breaker_open', fallbackDepth: 0 });
    kit.clock.advance(3_001);
    const r3 = await router.generate(req, meta);
    expect(r3.provider).toBe('gemini');
    expect(kit.gemini.requests).toHaveLength(2);
  });

  it('caps a huge Retry-After (here at 10 s)', async () => {
    kit.gemini.script({ status: 429, retryAfter: 86_400 });
    await router.generate(req, meta);
    kit.clock.advance(10_001);
    expect((await router.generate(req, meta)).provider).toBe('gemini');
  });

  it('estimates the cost of each attempt from the price table', async () => {
    kit.gemini.script({ text: 'ok', usage: { input: 1000, output: 200 } });
    await router.generate(req, meta);
    // 1000 × 0.30 $/M + 200 × 2.50 $/M = 300 + 500 µ$
    expect(kit.attempts[0]).toMatchObject({ provider: 'gemini', inputTokens: 1000, outputTokens: 200, costUsdMicros: 800 });
  });

  it('a client error (400) fails over but does not count against the breaker', async () => {
    kit.gemini.setReply(() => ({ status: 400 }));
    for (let i = 0; i < 4; i++) expect((await router.generate(req, meta)).provider).toBe('groq');
    expect(kit.gemini.requests).toHaveLength(4);
  });
});

describe('stream', () => {
  freshKitPerDescribe();
  it('streams Gemini text chunk by chunk when healthy', async () => {
    kit.gemini.script({ text: 'Rooms are KES 9500 tonight' });
    const { chunks, result } = await drain(router.stream(req, meta));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text).join('')).toBe('Rooms are KES 9500 tonight');
    expect(result).toMatchObject({ provider: 'gemini', text: 'Rooms are KES 9500 tonight', offline: false });
  });

  it.each(FAULTS.filter(([n]) => !n.includes('after')))('Gemini %s before the first token → Groq streams the one reply', async (_n, fault) => {
    kit.gemini.script({ ...fault, text: 'never seen' });
    const { chunks, result } = await drain(router.stream(req, meta));
    expect(chunks.map((c) => c.text).join('')).toBe('Hello from fake groq');
    expect(result).toMatchObject({ provider: 'groq', text: 'Hello from fake groq', fallbackDepth: 1 });
    expect(kit.groq.requests).toHaveLength(1);
  });

  it('a cut after the first token does not fail over: the partial text is completed with the offline reply', async () => {
    kit.gemini.script({ cutAfterFirstToken: true, text: 'Karibu sana, rooms are' });
    const { chunks, result } = await drain(router.stream(req, meta));
    const seen = chunks.map((c) => c.text).join('');
    expect(seen).toBe(result.text);
    expect(result.text).toBe(`Karibu \n\n${OFFLINE_REPLY}`);
    expect(result).toMatchObject({ provider: 'offline', offline: true, interrupted: true });
    expect(kit.groq.requests).toHaveLength(0);
    expect(kit.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['gemini', 'connection'],
      ['offline', 'ok'],
    ]);
  });

  it('realtime turns stream from Groq first; a Groq cut before the first token falls to Gemini', async () => {
    kit.groq.script({ cutBeforeFirstToken: true });
    const { result } = await drain(router.stream(req, { ...meta, class: 'realtime' }));
    expect(result).toMatchObject({ provider: 'gemini', class: 'realtime', fallbackDepth: 1 });
  });
});
