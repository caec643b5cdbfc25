/**
 * Fake Gemini Developer API (https://ai.google.dev/api/generate-content):
 * - `POST /v1beta/models/{model}:generateContent` → `GenerateContentResponse` JSON;
 * - `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` → SSE, each event
 *   `data: <GenerateContentResponse>\r\n\r\n` (the delimiter Google's servers use);
 * - errors as Google's `{ error: { code, message, status, details } }`; a 429 carries a
 *   `google.rpc.RetryInfo` detail (`retryDelay: "Ns"`), which is how Gemini says when to
 *   retry; the fake also sends `Retry-After`.
 *
 * `@google/genai` with `httpOptions.baseUrl = fake.url` calls `{url}/v1beta/models/...`,
 * so `GEMINI_BASE_URL` = `fake.baseUrl` (= `fake.url`).
 */
import {
  startLlmFake,
  type LlmBehaviour,
  type LlmFake,
  type LlmReply,
  type LlmWire,
} from './http-fake.ts';
import { geminiEmbed } from './fake-embeddings.ts';

interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
}
export interface GeminiContent {
  role?: string;
  parts: GeminiPart[];
}

/** One recorded call, as the model saw it. */
export interface GeminiRequest {
  model: string;
  stream: boolean;
  /** `x-goog-api-key` header. */
  apiKey: string | undefined;
  /** `systemInstruction` parts' text, joined. */
  system: string;
  contents: GeminiContent[];
  /** `tools[].functionDeclarations`, flattened. */
  functionDeclarations: Array<{ name: string; description?: string; parameters?: unknown }>;
  generationConfig: Record<string, unknown> | undefined;
  /** Text of the last `user` turn's text parts ('' when it only holds function responses). */
  lastUserText: string;
  body: Record<string, unknown>;
}

export interface FakeGeminiOptions {
  /** Default reply for unscripted requests; default `{ text: 'Hello from fake gemini' }`. */
  reply?: (req: GeminiRequest) => LlmBehaviour;
  /** When set, any other `x-goog-api-key` gets Gemini's 400 API_KEY_INVALID. */
  apiKey?: string;
}

export interface FakeGemini extends LlmFake<GeminiRequest> {
  /** Value for `GEMINI_BASE_URL`. */
  baseUrl: string;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function errorBody(code: number, message: string, retryAfterSeconds?: number) {
  const details =
    code === 429 && retryAfterSeconds !== undefined
      ? [
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${retryAfterSeconds}s`,
          },
        ]
      : undefined;
  return {
    error: {
      code,
      message,
      status: STATUS_NAMES[code] ?? 'UNKNOWN',
      ...(details ? { details } : {}),
    },
  };
}

function usageMetadata(r: LlmReply, final: boolean) {
  return final
    ? {
        promptTokenCount: r.usage.input,
        candidatesTokenCount: r.usage.output,
        totalTokenCount: r.usage.input + r.usage.output,
      }
    : { promptTokenCount: r.usage.input, totalTokenCount: r.usage.input };
}

function callParts(r: LlmReply): GeminiPart[] {
  // Thinking models attach a thoughtSignature to the first function call part.
  return r.toolCalls.map((c, i) => ({
    functionCall: { name: c.name, args: c.args, ...(c.id ? { id: c.id } : {}) },
    ...(i === 0 ? { thoughtSignature: `fake-signature-${c.name}` } : {}),
  }));
}

let responseCounter = 0;
function response(model: string, parts: GeminiPart[], final: boolean, r: LlmReply) {
  return {
    candidates: [
      // A safety-blocked candidate carries no content parts, only its finishReason.
      { content: { parts, role: 'model' }, ...(final ? { finishReason: r.finishReason ?? 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: usageMetadata(r, final),
    modelVersion: model,
    responseId: `fake-${++responseCounter}`,
  };
}

const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function makeWire(opts: FakeGeminiOptions): LlmWire<GeminiRequest> {
  return {
    sseEol: '\r\n',
    errorBody,
    route(req, url, raw) {
      const embed = req.method === 'POST' ? geminiEmbed(url.pathname, raw) : null; // fake-embeddings.ts
      if (embed) return embed;
      const m = req.method === 'POST' ? ROUTE.exec(url.pathname) : null;
      if (!m) return null;
      const apiKey = req.headers['x-goog-api-key'] as string | undefined;
      if (opts.apiKey !== undefined && apiKey !== opts.apiKey) {
        return {
          status: 400,
          body: errorBody(400, 'API key not valid. Please pass a valid API key.'),
        };
      }
      const body = raw as Record<string, unknown>;
      const contents = (body.contents as GeminiContent[] | undefined) ?? [];
      const sys = body.systemInstruction as GeminiContent | undefined;
      const tools =
        (body.tools as Array<{ functionDeclarations?: GeminiRequest['functionDeclarations'] }>) ??
        [];
      const lastUser = [...contents].reverse().find((c) => c.role === 'user');
      return {
        stream: m[3] === 'streamGenerateContent',
        record: {
          model: m[2]!,
          stream: m[3] === 'streamGenerateContent',
          apiKey,
          system: (sys?.parts ?? []).map((p) => p.text ?? '').join(''),
          contents,
          functionDeclarations: tools.flatMap((t) => t.functionDeclarations ?? []),
          generationConfig: body.generationConfig as Record<string, unknown> | undefined,
          lastUserText: (lastUser?.parts ?? []).map((p) => p.text ?? '').join(''),
          body,
        },
      };
    },
    completion(r, rec) {
      const parts: GeminiPart[] = [...(r.text ? [{ text: r.text }] : []), ...callParts(r)];
      return response(rec.model, parts, true, r);
    },
    chunks(r, rec) {
      const calls = callParts(r);
      if (r.pieces.length === 0) return [response(rec.model, calls, true, r)];
      return r.pieces.map((p, i) => {
        const last = i === r.pieces.length - 1;
        return response(rec.model, [{ text: p }, ...(last ? calls : [])], last, r);
      });
    },
  };
}

/** Start a fake Gemini on 127.0.0.1 (random port). Close it in `afterAll`. */
export async function createFakeGemini(opts: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const fake = await startLlmFake(
    makeWire(opts),
    opts.reply ?? (() => ({ text: 'Hello from fake gemini' })),
  );
  return Object.assign(fake, { baseUrl: fake.url });
}
