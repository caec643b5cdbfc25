/**
 * Builds the provider set from config: a provider exists only when its API key is set
 * (`GEMINI_API_KEY`, `GROQ_API_KEY`, `OPENAI_API_KEY`); `offline` always exists.
 * `*_BASE_URL` values go verbatim to each SDK's base URL (see the provider modules for
 * what each SDK appends).
 */
import type { Config } from '../../core/config.ts';
import { GeminiProvider } from './gemini-provider.ts';
import { OfflineProvider } from './offline-provider.ts';
import { OpenAICompatibleProvider } from './openai-compatible-provider.ts';
import type { LlmProvider, ProviderName } from './types.ts';

/** Provider name → provider, for the configured ones plus `offline`. No network at build time. */
export function createProviders(cfg: Config): Partial<Record<ProviderName, LlmProvider>> {
  const out: Partial<Record<ProviderName, LlmProvider>> = {};
  if (cfg.gemini.apiKey) {
    out.gemini = new GeminiProvider({
      apiKey: cfg.gemini.apiKey,
      baseUrl: cfg.gemini.baseUrl,
      model: cfg.gemini.model,
    });
  }
  if (cfg.groq.apiKey) {
    out.groq = new OpenAICompatibleProvider({
      name: 'groq',
      apiKey: cfg.groq.apiKey,
      baseUrl: cfg.groq.baseUrl,
      model: cfg.groq.model,
    });
  }
  if (cfg.openai.apiKey) {
    out.openai = new OpenAICompatibleProvider({
      name: 'openai',
      apiKey: cfg.openai.apiKey,
      baseUrl: cfg.openai.baseUrl,
      model: cfg.openai.model,
    });
  }
  out.offline = new OfflineProvider();
  return out;
}
