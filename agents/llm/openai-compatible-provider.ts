/**
 * OpenAI and Groq through their official SDKs (`openai`, `groq-sdk`), both speaking the
 * OpenAI Chat Completions wire format (https://platform.openai.com/docs/api-reference/chat,
 * https://console.groq.com/docs/api-reference#chat-create).
 *
 * Base URL convention: config `OPENAI_BASE_URL` / `GROQ_BASE_URL` is passed verbatim as
 * the SDK's `baseURL`, and the SDKs append different things:
 * - openai: default `https://api.openai.com/v1`, requests go to `{baseURL}/chat/completions`
 *   → for a fake at `http://127.0.0.1:P` use `http://127.0.0.1:P/v1`;
 * - groq-sdk: default `https://api.groq.com`, requests go to `{baseURL}/openai/v1/chat/completions`
 *   → for a fake use `http://127.0.0.1:P` (no path).
 * The defaults are passed explicitly because both SDKs otherwise read `OPENAI_BASE_URL` /
 * `GROQ_BASE_URL` (and OpenAI org/project ids) from the environment themselves.
 *
 * No SDK retries (`maxRetries: 0`): failover belongs to the router. The SDK `timeout` is
 * set far out; the per-attempt deadline is the caller's AbortSignal.
 */
import Groq from 'groq-sdk';
import OpenAI from 'openai';
import { classifyError } from './errors.ts';
import {
  LlmError,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type LlmProvider,
  type StreamChunk,
  type ToolCall,
  type Usage,
} from './types.ts';

export interface OpenAICompatibleOptions {
  name: 'openai' | 'groq';
  apiKey: string;
  /** The SDK's `baseURL`, verbatim (see module doc); unset → the vendor's public API. */
  baseUrl?: string;
  model: string;
}

const DEFAULT_BASE_URL = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com',
} as const;
/** Far beyond any per-attempt deadline the router sets; the AbortSignal is what ends calls. */
const SDK_TIMEOUT_MS = 10 * 60_000;

// The slice of the Chat Completions wire format we use (same in both SDKs).
interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}
type WireMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}
interface WireCompletion {
  model?: string;
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: WireToolCall[] | null };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage | null;
}
interface WireChunk {
  model?: string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{
        index: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage | null;
  /** Groq: usage (and early-stop errors) arrive here on the final chunk. */
  x_groq?: { usage?: WireUsage | null; error?: string | null };
}
type CreateFn = (body: Record<string, unknown>, opts: { signal?: AbortSignal }) => Promise<unknown>;

function toWireMessages(system: string, messages: ChatMessage[]): WireMessage[] {
  const out: WireMessage[] = [{ role: 'system', content: system }];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      const calls = m.toolCalls ?? [];
      out.push({
        role: 'assistant',
        content: m.content || (calls.length ? null : ''),
        ...(calls.length
          ? {
              tool_calls: calls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: JSON.stringify(c.args) },
              })),
            }
          : {}),
      });
    } else out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
  }
  return out;
}

function toUsage(u: WireUsage | null | undefined): Usage {
  return { inputTokens: u?.prompt_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0 };
}

/**
 * `LlmProvider` for the two Chat Completions vendors. `generate` / `stream` throw
 * `LlmError`; tool-call `arguments` that are not a JSON object → `malformed`; a stream
 * that ends without `finish_reason` (cut connection) → `connection`.
 */
export class OpenAICompatibleProvider implements LlmProvider {
  readonly name: 'openai' | 'groq';
  readonly model: string;
  private readonly create: CreateFn;

  constructor(opts: OpenAICompatibleOptions) {
    this.name = opts.name;
    this.model = opts.model;
    const common = {
      apiKey: opts.apiKey,
      baseURL: opts.baseUrl ?? DEFAULT_BASE_URL[opts.name],
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      // The SDKs would print parse failures to the console; errors reach our logs classified.
      logLevel: 'off' as const,
    };
    const client =
      opts.name === 'openai'
        ? new OpenAI({ ...common, organization: null, project: null, webhookSecret: null })
        : new Groq(common);
    const completions = client.chat.completions as unknown as { create: CreateFn };
    this.create = completions.create.bind(completions);
  }

  private body(req: GenerateRequest, stream: boolean): Record<string, unknown> {
    return {
      model: this.model,
      messages: toWireMessages(req.system, req.messages),
      ...(req.tools?.length
        ? {
            tools: req.tools.map((t) => ({
              type: 'function',
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
          }
        : {}),
      ...(req.maxTokens !== undefined ? { max_completion_tokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(stream ? { stream: true } : {}),
      // OpenAI only sends usage on streams when asked; Groq reports it in x_groq.usage.
      ...(stream && this.name === 'openai' ? { stream_options: { include_usage: true } } : {}),
    };
  }

  private parseArgs(name: string, raw: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw new LlmError(this.name, 'malformed', `tool call ${name}: arguments are not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LlmError(
        this.name,
        'malformed',
        `tool call ${name}: arguments are not a JSON object`,
      );
    }
    return parsed as Record<string, unknown>;
  }

  /** One `chat.completions.create` call. */
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    let r: WireCompletion;
    try {
      r = (await this.create(this.body(req, false), { signal: req.signal })) as WireCompletion;
    } catch (err) {
      throw classifyError(this.name, err, req.signal);
    }
    const choice = typeof r === 'object' && r !== null ? r.choices?.[0] : undefined;
    if (!choice?.message)
      throw new LlmError(this.name, 'malformed', 'response has no choices[0].message');
    const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((c) => ({
      id: c.id,
      name: c.function.name,
      args: this.parseArgs(c.function.name, c.function.arguments),
    }));
    return {
      text: choice.message.content ?? '',
      toolCalls,
      usage: toUsage(r.usage),
      model: r.model ?? this.model,
    };
  }

  /** `stream: true`: yields content deltas, accumulates tool-call deltas by `index`. */
  async *stream(req: GenerateRequest): AsyncGenerator<StreamChunk, GenerateResult, void> {
    let text = '';
    let model = this.model;
    let usage: WireUsage | null | undefined;
    let finished = false;
    const calls = new Map<number, { id: string; name: string; args: string }>();
    try {
      const chunks = (await this.create(this.body(req, true), {
        signal: req.signal,
      })) as AsyncIterable<WireChunk>;
      for await (const chunk of chunks) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        if (chunk.x_groq?.usage) usage = chunk.x_groq.usage;
        if (chunk.x_groq?.error)
          throw new LlmError(this.name, 'server', `stream stopped: ${chunk.x_groq.error}`);
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        for (const d of choice.delta?.tool_calls ?? []) {
          const acc = calls.get(d.index) ?? { id: '', name: '', args: '' };
          if (d.id) acc.id = d.id;
          if (d.function?.name) acc.name += d.function.name;
          if (d.function?.arguments) acc.args += d.function.arguments;
          calls.set(d.index, acc);
        }
        if (choice.finish_reason) finished = true;
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          yield { text: delta };
        }
      }
    } catch (err) {
      throw classifyError(this.name, err, req.signal);
    }
    // Both SDKs end the iteration silently when the request is aborted.
    if (req.signal?.aborted) throw classifyError(this.name, req.signal.reason, req.signal);
    if (!finished) throw new LlmError(this.name, 'connection', 'stream ended before finish_reason');
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({ id: c.id, name: c.name, args: this.parseArgs(c.name, c.args) }));
    return { text, toolCalls, usage: toUsage(usage), model };
  }
}
