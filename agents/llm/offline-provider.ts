/**
 * The last stop of failover: no network, never fails.
 *
 * It does not pretend to be an AI answer: it tells the customer a person will follow
 * up, and the agent runtime, seeing `name === 'offline'` (or `isOfflineResult`), flags
 * the conversation for staff. Usage is zero and the model is `offline`.
 */
import type { GenerateRequest, GenerateResult, LlmProvider, StreamChunk } from './types.ts';

/** The honest fallback reply sent when no real provider could answer. */
export const OFFLINE_REPLY =
  'Thanks for your message — a member of our team will get back to you shortly.';

/** True when a result came from the offline fallback (so staff must follow up). */
export function isOfflineResult(r: GenerateResult): boolean {
  return r.model === 'offline';
}

/** `LlmProvider` that answers `OFFLINE_REPLY` immediately, with no tool calls. */
export class OfflineProvider implements LlmProvider {
  readonly name = 'offline' as const;
  readonly model = 'offline';
  /** Marks this provider as the fallback for callers that hold it as a plain LlmProvider. */
  readonly isOfflineFallback = true;

  private result(): GenerateResult {
    return {
      text: OFFLINE_REPLY,
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      model: 'offline',
    };
  }

  /** Resolves immediately; ignores the request (even an aborted signal). */
  async generate(_req: GenerateRequest): Promise<GenerateResult> {
    return this.result();
  }

  /** Yields the whole reply as one chunk. */
  async *stream(_req: GenerateRequest): AsyncGenerator<StreamChunk, GenerateResult, void> {
    yield { text: OFFLINE_REPLY };
    return this.result();
  }
}
