/**
 * The one internal shape every LLM provider speaks (Gemini, Groq, OpenAI, offline).
 *
 * Providers map their SDK's request/response to these types; the router and the
 * agent runtime only ever see these. Token counts are in tokens, durations in ms.
 */

export type ProviderName = 'gemini' | 'groq' | 'openai' | 'offline';

/** Traffic class: `realtime` = a customer is waiting on a live connection (web chat). */
export type TrafficClass = 'standard' | 'realtime';

/** JSON-schema (subset: type/properties/required/enum/items/description) for tool parameters. */
export interface JsonSchema {
  type: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
  items?: JsonSchema;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ToolCall {
  /** Provider-issued id (OpenAI/Groq) or a generated one (Gemini has none). */
  id: string;
  name: string;
  args: Record<string, unknown>;
  /**
   * Opaque provider token that must be echoed back with this call in the next turn
   * (Gemini `thoughtSignature`, required by thinking models for function calling).
   */
  signature?: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface GenerateRequest {
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Upper bound on output tokens. */
  maxTokens?: number;
  temperature?: number;
  /** Aborts the provider call (per-attempt deadline). */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  model: string;
}

export interface StreamChunk {
  /** Text delta; empty for chunks that carry only tool calls or usage. */
  text: string;
}

export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  /** One non-streaming completion. Throws `LlmError` (classified) on any failure. */
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /**
   * Streaming completion: yields text deltas, returns the full result at the end.
   * Throws `LlmError` on failure, before or after the first chunk.
   */
  stream(req: GenerateRequest): AsyncGenerator<StreamChunk, GenerateResult, void>;
}

/** Why a provider call failed; `retryable` decides whether failover may try the next provider. */
export type LlmErrorKind =
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'timeout' // deadline hit
  | 'connection' // refused / reset / DNS
  | 'malformed' // unparsable / unexpected body
  | 'client' // other 4xx (bad request, auth)
  | 'aborted'; // caller aborted

export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    readonly provider: ProviderName,
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    /** From a 429/503 `Retry-After` header, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${provider}: ${message}`);
  }
  get retryable(): boolean {
    return this.kind !== 'client' && this.kind !== 'aborted';
  }
}
