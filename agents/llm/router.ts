/**
 * LLM router: picks the traffic class of a turn (policy.ts), then fails over along that
 * class's provider chain, skipping providers whose circuit breaker is open (breaker.ts).
 *
 *  - standard:  gemini → groq → openai → offline
 *  - realtime:  groq → gemini → openai → offline   (a customer is waiting on a live web chat)
 *
 * Providers without an API key are skipped; `offline` always answers, so a turn never ends
 * without a reply, and exactly one: an attempt past its deadline is abandoned and its late
 * answer dropped. Each attempt has a deadline (ms), the turn a total budget (ms). A 429/503
 * with Retry-After opens that provider's breaker until then (capped) instead of sleeping
 * the customer's turn. Streaming fails over only before the first token reaches the caller;
 * a stream that breaks after it is completed with the offline reply (and `offline: true`,
 * so the conversation is flagged for staff). Every attempt, including breaker skips
 * (outcome `breaker_open`), goes to `onAttempt` (ai_usage) and /metrics.
 */
import { llmLatency, llmRequestsTotal } from '../../core/metrics.ts';
import { createMemoryBreaker, stateValue, type Admission, type BreakerStore } from './breaker.ts';
import { classifyError } from './errors.ts';
import { RoutingPolicy } from './policy.ts';
import { costUsdMicros, type PriceTable } from './pricing.ts';
import { deadline, raceAbort, type Deadline } from './router-attempt.ts';
import { llmBreakerState, llmRealtimeShare } from './router-metrics.ts';
import { LlmError, type GenerateRequest, type GenerateResult, type LlmProvider, type ProviderName, type StreamChunk, type TrafficClass } from './types.ts';

export interface AttemptRecord {
  provider: ProviderName;
  model: string;
  /** The class the turn was served as (after the share cap). */
  class: TrafficClass;
  /** 'ok', an LlmErrorKind, 'breaker_open' (skipped, no call) or 'budget_exhausted' (skipped). */
  outcome: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** 0 for the first provider of the chain, 1 for the next… */
  fallbackDepth: number;
  /** Estimated cost from the price table, USD micros. */
  costUsdMicros?: number;
}

export interface RouterOptions {
  providers: Partial<Record<ProviderName, LlmProvider>>;
  /** Per-attempt deadline, ms (default 15 000). */
  attemptTimeoutMs?: number;
  /** Whole-turn budget, ms (default 45 000). */
  turnBudgetMs?: number;
  chains?: Partial<Record<TrafficClass, ProviderName[]>>;
  onAttempt?: (rec: AttemptRecord, meta: TurnMeta) => void | Promise<void>;
  /** Breaker store (default: in-process with default thresholds). */
  breaker?: BreakerStore;
  /** Routing policy (default: 10% real-time cap over 60 s). */
  policy?: RoutingPolicy;
  /** model → [USD micros per 1M input tokens, per 1M output tokens]; default {} (cost 0). */
  prices?: PriceTable;
  /** Upper bound on a Retry-After pause, ms (default 60 000). */
  retryAfterCapMs?: number;
}

export interface TurnMeta {
  tenantId: string;
  conversationId?: string;
  /** What the caller asks for; the policy may serve a real-time turn as standard. */
  class: TrafficClass;
  /** Explicit end-to-end latency budget, ms; below the policy threshold → real-time. */
  latencyBudgetMs?: number;
}

export interface RoutedResult extends GenerateResult {
  provider: ProviderName;
  /** True when the offline fallback answered (or completed a broken stream): staff must follow up. */
  offline: boolean;
  fallbackDepth: number;
  /** The class the turn was served as. */
  class?: TrafficClass;
  /** Streaming only: the provider broke after the first token; the text ends with the offline reply. */
  interrupted?: boolean;
}

export interface LlmRouter {
  generate(req: GenerateRequest, meta: TurnMeta): Promise<RoutedResult>;
}

export interface StreamingLlmRouter extends LlmRouter {
  /** Yields text deltas to show the customer; returns the routed result (text = all deltas). */
  stream(req: GenerateRequest, meta: TurnMeta): AsyncGenerator<StreamChunk, RoutedResult, void>;
}

export const DEFAULT_CHAINS: Record<TrafficClass, ProviderName[]> = {
  standard: ['gemini', 'groq', 'openai', 'offline'],
  realtime: ['groq', 'gemini', 'openai', 'offline'],
};

interface Turn {
  meta: TurnMeta;
  cls: TrafficClass;
  chain: ProviderName[];
  started: number;
  depth: number;
}

export function createRouter(opts: RouterOptions): StreamingLlmRouter {
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 15_000;
  const turnBudgetMs = opts.turnBudgetMs ?? 45_000;
  const chains = { ...DEFAULT_CHAINS, ...opts.chains };
  const breaker = opts.breaker ?? createMemoryBreaker();
  const policy = opts.policy ?? new RoutingPolicy();
  const prices = opts.prices ?? {};
  const retryCap = opts.retryAfterCapMs ?? 60_000;

  function begin(meta: TurnMeta): Turn {
    const cls = policy.decide(meta).class;
    llmRealtimeShare.set(policy.share());
    return { meta, cls, chain: chains[cls].filter((p) => opts.providers[p]), started: Date.now(), depth: 0 };
  }

  async function report(t: Turn, provider: ProviderName, model: string, outcome: string, t0: number, result?: GenerateResult) {
    const latencyMs = performance.now() - t0;
    const inputTokens = result?.usage.inputTokens ?? 0;
    const outputTokens = result?.usage.outputTokens ?? 0;
    llmRequestsTotal.inc({ provider, outcome });
    llmLatency.observe({ provider, outcome }, latencyMs / 1000);
    if (!opts.onAttempt) return;
    const rec: AttemptRecord = {
      provider, model: result?.model ?? model, class: t.cls, outcome, latencyMs, inputTokens, outputTokens,
      fallbackDepth: t.depth, costUsdMicros: costUsdMicros(prices, result?.model ?? model, inputTokens, outputTokens),
    };
    try {
      await opts.onAttempt(rec, t.meta);
    } catch {
      /* accounting must never break a reply */
    }
  }

  /** Admission for the next provider, or undefined when it is skipped (already reported). */
  async function admit(t: Turn, name: ProviderName, model: string): Promise<{ adm: Admission; dl?: Deadline } | undefined> {
    if (name === 'offline') return { adm: 'allow' };
    const left = turnBudgetMs - (Date.now() - t.started);
    let outcome = 'budget_exhausted';
    if (left > 0) {
      const { admission, state } = await breaker.admit(name);
      llmBreakerState.set({ provider: name }, stateValue(state));
      if (admission !== 'reject') return { adm: admission, dl: deadline(Math.min(attemptTimeoutMs, left), undefined) };
      outcome = 'breaker_open';
    }
    await report(t, name, model, outcome, performance.now());
    t.depth++;
    return undefined;
  }

  async function settle(name: ProviderName, adm: Admission, err?: LlmError) {
    if (name === 'offline' || err?.kind === 'aborted') return;
    // A client error (4xx) means the provider answered: it counts as up for the breaker.
    const ok = !err || err.kind === 'client';
    const openForMs = err?.retryAfterMs ? Math.min(err.retryAfterMs, retryCap) : undefined;
    const state = await breaker.record(name, { ok, probe: adm === 'probe', openForMs });
    llmBreakerState.set({ provider: name }, stateValue(state));
  }

  /** A success: a probe's is awaited (it closes the breaker); others go off the reply path. */
  function settled(name: ProviderName, adm: Admission): Promise<void> | undefined {
    if (adm === 'probe') return settle(name, adm);
    void settle(name, adm);
    return undefined;
  }

  async function fail(t: Turn, name: ProviderName, model: string, adm: Admission, err: unknown, dl: Deadline | undefined, t0: number, caller?: AbortSignal) {
    const e = caller?.aborted ? new LlmError(name, 'aborted', 'aborted by caller') : classifyError(name, err, dl?.signal);
    dl?.abandon(); // after classifying: abandoning aborts the signal
    await settle(name, adm, e);
    await report(t, name, model, e.kind, t0);
    if (e.kind === 'aborted') throw e;
    t.depth++;
  }

  const routed = (t: Turn, name: ProviderName, r: GenerateResult): RoutedResult => ({ ...r, provider: name, offline: name === 'offline', fallbackDepth: t.depth, class: t.cls });
  const withSignal = (req: GenerateRequest, dl?: Deadline): GenerateRequest =>
    dl ? { ...req, signal: req.signal ? AbortSignal.any([req.signal, dl.signal]) : dl.signal } : req;

  return {
    async generate(req, meta) {
      const t = begin(meta);
      for (const name of t.chain) {
        const provider = opts.providers[name]!;
        const a = await admit(t, name, provider.model);
        if (!a) continue;
        const t0 = performance.now();
        const r = withSignal(req, a.dl);
        try {
          const result = await (r.signal ? raceAbort(provider.generate(r), r.signal) : provider.generate(r));
          a.dl?.clear();
          await settled(name, a.adm);
          await report(t, name, provider.model, 'ok', t0, result);
          return routed(t, name, result);
        } catch (err) {
          await fail(t, name, provider.model, a.adm, err, a.dl, t0, req.signal);
        }
      }
      throw new Error('no LLM provider configured (the offline provider must always be present)');
    },

    async *stream(req, meta) {
      const t = begin(meta);
      for (const name of t.chain) {
        const provider = opts.providers[name]!;
        const a = await admit(t, name, provider.model);
        if (!a) continue;
        const t0 = performance.now();
        const r = withSignal(req, a.dl);
        const it = provider.stream(r);
        const next = () => (r.signal ? raceAbort(it.next(), r.signal) : it.next());
        let step: IteratorResult<StreamChunk, GenerateResult>;
        try {
          // Chunks without text (usage, tool-call deltas) do not commit the turn.
          do step = await next();
          while (!step.done && !step.value.text);
        } catch (err) {
          await fail(t, name, provider.model, a.adm, err, a.dl, t0, req.signal);
          continue;
        }
        // Committed: the customer sees this provider's text from here on.
        a.dl?.rearm(Math.max(attemptTimeoutMs, turnBudgetMs - (Date.now() - t.started)));
        let text = '';
        try {
          while (!step.done) {
            text += step.value.text;
            if (step.value.text) yield step.value;
            step = await next();
          }
          a.dl?.clear();
          await settled(name, a.adm);
          await report(t, name, provider.model, 'ok', t0, step.value);
          return routed(t, name, step.value);
        } catch (err) {
          await fail(t, name, provider.model, a.adm, err, a.dl, t0, req.signal);
          const offline = opts.providers.offline;
          if (!offline || name === 'offline') throw err;
          const tail = await offline.generate(req);
          const sep = text.endsWith('\n') ? '\n' : '\n\n';
          yield { text: sep + tail.text };
          await report(t, 'offline', offline.model, 'ok', performance.now(), tail);
          return { ...routed(t, 'offline', tail), text: text + sep + tail.text, interrupted: true };
        } finally {
          a.dl?.abandon(); // also when the caller stops reading early
        }
      }
      throw new Error('no LLM provider configured (the offline provider must always be present)');
    },
  };
}
