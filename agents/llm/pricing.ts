/**
 * Estimated cost of an LLM attempt from the price table in config
 * (`cfg.llmRouting.prices`: model → [USD micros per 1M input tokens, per 1M output tokens]).
 */

export type PriceTable = Record<string, readonly [number, number]>;

/**
 * Cost in USD micros (1e-6 USD), rounded. Models are matched exactly, else by the longest
 * table key that prefixes the reported model (providers report e.g. `gemini-2.5-flash-001`).
 * Unknown models and the offline fallback cost 0.
 */
export function costUsdMicros(prices: PriceTable, model: string, inputTokens: number, outputTokens: number): number {
  let p = prices[model];
  if (!p) {
    let best = '';
    for (const k of Object.keys(prices)) if (model.startsWith(k) && k.length > best.length) best = k;
    p = best ? prices[best] : undefined;
  }
  if (!p) return 0;
  return Math.round((inputTokens * p[0] + outputTokens * p[1]) / 1_000_000);
}
