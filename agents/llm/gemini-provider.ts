/**
 * Gemini through the official `@google/genai` SDK (Gemini Developer API, v1beta).
 *
 * Wire format: `POST {baseUrl}/v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse` (https://ai.google.dev/api/generate-content).
 * With a custom `baseUrl` the SDK still appends the API version, so a fake at
 * `http://127.0.0.1:P` receives `/v1beta/models/...`.
 *
 * The SDK only retries when `httpOptions.retryOptions` is set (we never set it), and
 * "automatic continuation" (re-sending with a continuation token) is switched off per
 * call, so one `generate` is exactly one HTTP request. Deadlines come from the
 * caller's AbortSignal (`config.abortSignal`); no SDK timeout is set.
 */
import { randomUUID } from 'node:crypto';
import {
  GoogleGenAI,
  Type,
  type Content,
  type FunctionDeclaration,
  type GenerateContentConfig,
  type GenerateContentResponse,
  type Part,
  type Schema,
} from '@google/genai';
import { classifyError } from './errors.ts';
import {
  LlmError,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type JsonSchema,
  type LlmProvider,
  type StreamChunk,
  type ToolCall,
  type ToolSpec,
  type Usage,
} from './types.ts';

export interface GeminiProviderOptions {
  apiKey: string;
  /** SDK `httpOptions.baseUrl`, verbatim (host only, e.g. `http://127.0.0.1:4000`); unset → Google. */
  baseUrl?: string;
  /** e.g. `gemini-2.5-flash`. */
  model: string;
}

const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Ids we make up for Gemini calls that came without one; never sent back to Gemini. */
const LOCAL_ID_PREFIX = 'gemini-local-';

const TYPE_MAP: Record<JsonSchema['type'], Type> = {
  object: Type.OBJECT,
  string: Type.STRING,
  number: Type.NUMBER,
  integer: Type.INTEGER,
  boolean: Type.BOOLEAN,
  array: Type.ARRAY,
};

/** Our JSON-schema subset → Gemini's OpenAPI-style `Schema` (upper-case `Type`). */
export function toGeminiSchema(s: JsonSchema): Schema {
  const out: Schema = { type: TYPE_MAP[s.type] };
  if (s.description) out.description = s.description;
  if (s.enum) out.enum = [...s.enum];
  if (s.required) out.required = [...s.required];
  if (s.items) out.items = toGeminiSchema(s.items);
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, toGeminiSchema(v)]),
    );
  }
  return out;
}

function toFunctionDeclaration(t: ToolSpec): FunctionDeclaration {
  return { name: t.name, description: t.description, parameters: toGeminiSchema(t.parameters) };
}

/** Tool output is text; Gemini wants an object, under the documented `output` key. */
function toolOutput(content: string): Record<string, unknown> {
  try {
    return { output: JSON.parse(content) as unknown };
  } catch {
    return { output: content };
  }
}

/**
 * Our messages → Gemini `contents`: assistant → role `model` (text + `functionCall`
 * parts), tool results → `functionResponse` parts in a `user` turn. Consecutive turns
 * of one role are merged, since Gemini expects all responses to a parallel call
 * together.
 */
export function toGeminiContents(messages: ChatMessage[]): Content[] {
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  for (const m of messages) {
    if (m.role === 'user') {
      push('user', [{ text: m.content }]);
    } else if (m.role === 'assistant') {
      const parts: Part[] = m.content ? [{ text: m.content }] : [];
      for (const c of m.toolCalls ?? []) {
        const part: Part = { functionCall: { name: c.name, args: c.args } };
        if (!c.id.startsWith(LOCAL_ID_PREFIX)) part.functionCall!.id = c.id;
        if (c.signature) part.thoughtSignature = c.signature;
        parts.push(part);
      }
      push('model', parts);
    } else {
      const functionResponse: NonNullable<Part['functionResponse']> = {
        name: m.name,
        response: toolOutput(m.content),
      };
      if (!m.toolCallId.startsWith(LOCAL_ID_PREFIX)) functionResponse.id = m.toolCallId;
      push('user', [{ functionResponse }]);
    }
  }
  return contents;
}

function toUsage(r: GenerateContentResponse | undefined): Usage {
  const u = r?.usageMetadata;
  // Thinking tokens are billed as output, so they count as output here.
  return {
    inputTokens: u?.promptTokenCount ?? 0,
    outputTokens: (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0),
  };
}

interface Collected {
  text: string;
  toolCalls: ToolCall[];
  finished: boolean;
}

/** Text and calls of the first candidate; thought parts (`thought: true`) are skipped. */
function collect(r: GenerateContentResponse, into: Collected): string {
  const cand = r.candidates?.[0];
  let delta = '';
  for (const p of cand?.content?.parts ?? []) {
    if (p.thought) continue;
    if (typeof p.text === 'string') delta += p.text;
    if (p.functionCall) {
      into.toolCalls.push({
        id: p.functionCall.id || `${LOCAL_ID_PREFIX}${randomUUID()}`,
        name: p.functionCall.name ?? '',
        args: (p.functionCall.args as Record<string, unknown> | undefined) ?? {},
        ...(p.thoughtSignature ? { signature: p.thoughtSignature } : {}),
      });
    }
  }
  if (cand?.finishReason) into.finished = true;
  into.text += delta;
  return delta;
}

/**
 * `LlmProvider` over Gemini. `generate` / `stream` throw `LlmError` (see `classifyError`);
 * a response without candidates (e.g. prompt blocked) or a stream that ends without a
 * `finishReason` is `malformed`.
 */
export class GeminiProvider implements LlmProvider {
  readonly name = 'gemini' as const;
  readonly model: string;
  private readonly client: GoogleGenAI;

  constructor(opts: GeminiProviderOptions) {
    this.model = opts.model;
    // Explicit vertexai/baseUrl: otherwise the SDK consults GOOGLE_GENAI_USE_VERTEXAI /
    // GOOGLE_GEMINI_BASE_URL from the environment, and config is parsed in one place only.
    this.client = new GoogleGenAI({
      apiKey: opts.apiKey,
      vertexai: false,
      httpOptions: { baseUrl: opts.baseUrl ?? DEFAULT_BASE_URL },
    });
  }

  private params(req: GenerateRequest) {
    const config: GenerateContentConfig = {
      systemInstruction: req.system,
      automaticContinuation: false,
      ...(req.maxTokens !== undefined ? { maxOutputTokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.tools?.length
        ? { tools: [{ functionDeclarations: req.tools.map(toFunctionDeclaration) }] }
        : {}),
      ...(req.signal ? { abortSignal: req.signal } : {}),
    };
    return { model: this.model, contents: toGeminiContents(req.messages), config };
  }

  private result(c: Collected, last: GenerateContentResponse | undefined): GenerateResult {
    return {
      text: c.text,
      toolCalls: c.toolCalls,
      usage: toUsage(last),
      model: last?.modelVersion ?? this.model,
    };
  }

  private noCandidates(r: GenerateContentResponse): LlmError {
    const reason = r.promptFeedback?.blockReason;
    return new LlmError(
      'gemini',
      'malformed',
      `no candidates${reason ? ` (blockReason ${reason})` : ''}`,
    );
  }

  /** One `models.generateContent` call. */
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    let r: GenerateContentResponse;
    try {
      r = await this.client.models.generateContent(this.params(req));
    } catch (err) {
      throw classifyError('gemini', err, req.signal);
    }
    if (!r?.candidates?.length) throw this.noCandidates(r);
    const c: Collected = { text: '', toolCalls: [], finished: false };
    collect(r, c);
    return this.result(c, r);
  }

  /** `models.generateContentStream`: yields text deltas; usage comes from the last chunk. */
  async *stream(req: GenerateRequest): AsyncGenerator<StreamChunk, GenerateResult, void> {
    const c: Collected = { text: '', toolCalls: [], finished: false };
    let last: GenerateContentResponse | undefined;
    try {
      const chunks = await this.client.models.generateContentStream(this.params(req));
      for await (const chunk of chunks) {
        last = chunk;
        const delta = collect(chunk, c);
        if (delta) yield { text: delta };
      }
    } catch (err) {
      throw classifyError('gemini', err, req.signal);
    }
    if (req.signal?.aborted) throw classifyError('gemini', req.signal.reason, req.signal);
    if (!last) throw new LlmError('gemini', 'malformed', 'empty stream');
    if (!last.candidates?.length && !c.finished) throw this.noCandidates(last);
    if (!c.finished) throw new LlmError('gemini', 'connection', 'stream ended before finishReason');
    return this.result(c, last);
  }
}
