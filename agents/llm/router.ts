/**
 * LLM router: picks the provider chain for a turn's traffic class and fails over along it.
 *
 *  - standard:  gemini → groq → openai → offline
 *  - realtime:  groq → gemini → openai → offline   (a customer is waiting on a live web chat)
 *
 * Providers without an API key are skipped; `offline` always answers, so a turn never ends
 * without a reply. Each attempt has its own deadline (ms) and the turn a total budget (ms).
 * Every attempt is reported to `onAttempt` (ai_usage + /metrics).
 */
import { llmLatency, llmRequestsTotal } from '../../core/metrics.ts';
import {
  LlmError,
  type GenerateRequest,
  type GenerateResult,
  type LlmProvider,
  type ProviderName,
  type TrafficClass,
} from './types.ts';

export interface AttemptRecord {
  provider: ProviderName;
  model: string;
  class: TrafficClass;
  /** 'ok' or an LlmErrorKind. */
  outcome: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** 0 for the first provider tried, 1 for the next… */
  fallbackDepth: number;
}

export interface RouterOptions {
  providers: Partial<Record<ProviderName, LlmProvider>>;
  /** Per-attempt deadline, ms (default 15 000). */
  attemptTimeoutMs?: number;
  /** Whole-turn budget, ms (default 45 000). */
  turnBudgetMs?: number;
  chains?: Partial<Record<TrafficClass, ProviderName[]>>;
  onAttempt?: (rec: AttemptRecord, meta: TurnMeta) => void | Promise<void>;
}

export interface TurnMeta {
  tenantId: string;
  conversationId?: string;
  class: TrafficClass;
}

export interface RoutedResult extends GenerateResult {
  provider: ProviderName;
  /** True when every real provider failed and the offline fallback answered. */
  offline: boolean;
  fallbackDepth: number;
}

export interface LlmRouter {
  generate(req: GenerateRequest, meta: TurnMeta): Promise<RoutedResult>;
}

export const DEFAULT_CHAINS: Record<TrafficClass, ProviderName[]> = {
  standard: ['gemini', 'groq', 'openai', 'offline'],
  realtime: ['groq', 'gemini', 'openai', 'offline'],
};

export function createRouter(opts: RouterOptions): LlmRouter {
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 15_000;
  const turnBudgetMs = opts.turnBudgetMs ?? 45_000;
  const chains = { ...DEFAULT_CHAINS, ...opts.chains };
  return {
    async generate(req, meta) {
      const started = Date.now();
      const chain = chains[meta.class].filter((p) => opts.providers[p]);
      let depth = 0;
      for (const name of chain) {
        const provider = opts.providers[name]!;
        const left = turnBudgetMs - (Date.now() - started);
        const isLast = name === 'offline';
        if (left <= 0 && !isLast) continue;
        const t0 = performance.now();
        const signal = isLast ? undefined : AbortSignal.timeout(Math.min(attemptTimeoutMs, left));
        try {
          const merged = req.signal && signal ? AbortSignal.any([req.signal, signal]) : (req.signal ?? signal);
          const result = await provider.generate({ ...req, signal: merged });
          await report(opts, name, provider.model, meta, 'ok', t0, result.usage.inputTokens, result.usage.outputTokens, depth);
          return { ...result, provider: name, offline: name === 'offline', fallbackDepth: depth };
        } catch (err) {
          const kind = err instanceof LlmError ? err.kind : signal?.aborted ? 'timeout' : 'server';
          await report(opts, name, provider.model, meta, kind, t0, 0, 0, depth);
          depth++;
        }
      }
      throw new Error('no LLM provider configured (the offline provider must always be present)');
    },
  };
}

async function report(
  opts: RouterOptions,
  provider: ProviderName,
  model: string,
  meta: TurnMeta,
  outcome: string,
  t0: number,
  inputTokens: number,
  outputTokens: number,
  fallbackDepth: number,
) {
  const latencyMs = performance.now() - t0;
  llmRequestsTotal.inc({ provider, outcome });
  llmLatency.observe({ provider, outcome }, latencyMs / 1000);
  try {
    await opts.onAttempt?.({ provider, model, class: meta.class, outcome, latencyMs, inputTokens, outputTokens, fallbackDepth }, meta);
  } catch {
    /* accounting must never break a reply */
  }
}
