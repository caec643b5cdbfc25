/**
 * Router test kit: the three provider fakes (real wire formats) with the real providers
 * pointed at them, the offline fallback, a controllable clock and an attempt log.
 */
import { GeminiProvider } from '../../agents/llm/gemini-provider.ts';
import { OfflineProvider } from '../../agents/llm/offline-provider.ts';
import { OpenAICompatibleProvider } from '../../agents/llm/openai-compatible-provider.ts';
import type { AttemptRecord } from '../../agents/llm/router.ts';
import type { LlmProvider, ProviderName } from '../../agents/llm/types.ts';
import { createFakeGemini, type FakeGemini } from '../fakes/fake-gemini.ts';
import { createFakeGroq, createFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.ts';

export interface RouterKit {
  gemini: FakeGemini;
  groq: FakeOpenAI;
  openai: FakeOpenAI;
  providers: Record<ProviderName, LlmProvider>;
  /** Every attempt the routers built with `onAttempt: kit.log` reported. */
  attempts: AttemptRecord[];
  log: (rec: AttemptRecord) => void;
  clock: { now: () => number; advance(ms: number): void };
  reset(): void;
  close(): Promise<void>;
}

export async function startRouterKit(): Promise<RouterKit> {
  const [gemini, groq, openai] = await Promise.all([createFakeGemini(), createFakeGroq(), createFakeOpenAI()]);
  const providers: Record<ProviderName, LlmProvider> = {
    gemini: new GeminiProvider({ apiKey: 'k', baseUrl: gemini.baseUrl, model: 'gemini-2.5-flash' }),
    groq: new OpenAICompatibleProvider({ name: 'groq', apiKey: 'k', baseUrl: groq.baseUrl, model: 'llama-3.3-70b-versatile' }),
    openai: new OpenAICompatibleProvider({ name: 'openai', apiKey: 'k', baseUrl: openai.baseUrl, model: 'gpt-4o-mini' }),
    offline: new OfflineProvider(),
  };
  let t = 1_700_000_000_000;
  const attempts: AttemptRecord[] = [];
  return {
    gemini,
    groq,
    openai,
    providers,
    attempts,
    log: (rec) => void attempts.push(rec),
    clock: { now: () => t, advance: (ms) => void (t += ms) },
    reset() {
      gemini.reset();
      groq.reset();
      openai.reset();
      attempts.length = 0;
    },
    close: async () => void (await Promise.all([gemini.close(), groq.close(), openai.close()])),
  };
}

/** Drain a router stream: the chunks the customer saw and the routed result. */
export async function drain<T, R>(gen: AsyncGenerator<T, R, void>): Promise<{ chunks: T[]; result: R }> {
  const chunks: T[] = [];
  for (;;) {
    const step = await gen.next();
    if (step.done) return { chunks, result: step.value };
    chunks.push(step.value);
  }
}
