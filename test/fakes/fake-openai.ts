/**
 * Fake OpenAI-compatible Chat Completions API, for OpenAI and Groq
 * (https://platform.openai.com/docs/api-reference/chat/create,
 * https://console.groq.com/docs/api-reference#chat-create):
 * - flavor `openai`: `POST /v1/chat/completions` → put `fake.baseUrl` (= `{url}/v1`) in
 *   `OPENAI_BASE_URL`;
 * - flavor `groq`: `POST /openai/v1/chat/completions` → put `fake.baseUrl` (= `url`) in
 *   `GROQ_BASE_URL` (groq-sdk appends `/openai/v1` itself).
 * JSON `chat.completion` objects, or with `stream: true` SSE `data: <chat.completion.chunk>\n\n`
 * ending `data: [DONE]`; tool calls stream as an id/name delta then argument fragments.
 * Stream usage: OpenAI sends a final `choices: []` chunk with `usage` when
 * `stream_options.include_usage`; Groq puts it in the last chunk's `x_groq.usage`.
 * Errors: `{ error: { message, type, param, code } }`.
 */
import { randomBytes } from 'node:crypto';
import {
  startLlmFake,
  type LlmBehaviour,
  type LlmFake,
  type LlmReply,
  type LlmWire,
} from './http-fake.ts';
import { openaiEmbed } from './fake-embeddings.ts';

export interface OpenAIWireMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }>;
  tool_call_id?: string;
}

/** One recorded call, as the model saw it. */
export interface OpenAIRequest {
  path: string;
  model: string;
  stream: boolean;
  /** Bearer token from `Authorization`. */
  apiKey: string | undefined;
  /** Content of the `system` message(s), joined. */
  system: string;
  messages: OpenAIWireMessage[];
  tools: Array<{
    type: 'function';
    function: { name: string; description?: string; parameters?: unknown };
  }>;
  /** Content of the last `user` message. */
  lastUserText: string;
  body: Record<string, unknown>;
}

export interface FakeOpenAIOptions {
  flavor?: 'openai' | 'groq';
  /** Default reply for unscripted requests; default `{ text: 'Hello from fake <flavor>' }`. */
  reply?: (req: OpenAIRequest) => LlmBehaviour;
  /** When set, any other bearer token gets a 401 `invalid_api_key`. */
  apiKey?: string;
}

export interface FakeOpenAI extends LlmFake<OpenAIRequest> {
  flavor: 'openai' | 'groq';
  /** Value for `OPENAI_BASE_URL` / `GROQ_BASE_URL`. */
  baseUrl: string;
}

const ERROR_TYPES: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', 'service_unavailable'],
};

function errorBody(status: number, message: string) {
  const [type, code] = ERROR_TYPES[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    null,
  ];
  return { error: { message, type, param: null, code } };
}

const id = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

function usage(r: LlmReply) {
  return {
    prompt_tokens: r.usage.input,
    completion_tokens: r.usage.output,
    total_tokens: r.usage.input + r.usage.output,
  };
}

function makeWire(flavor: 'openai' | 'groq', opts: FakeOpenAIOptions): LlmWire<OpenAIRequest> {
  const path = flavor === 'openai' ? '/v1/chat/completions' : '/openai/v1/chat/completions';
  const envelope = (rec: OpenAIRequest, object: string, extra: Record<string, unknown>) => ({
    id: id('chatcmpl-'),
    object,
    created: Math.floor(Date.now() / 1000),
    model: rec.model,
    system_fingerprint: 'fp_fake',
    ...extra,
  });
  return {
    sseEol: '\n',
    sseDone: '[DONE]',
    errorBody,
    route(req, url, raw) {
      const embed = req.method === 'POST' && flavor === 'openai' ? openaiEmbed(url.pathname, raw) : null; // fake-embeddings.ts
      if (embed) return embed;
      if (req.method !== 'POST' || url.pathname !== path) return null;
      const auth = req.headers.authorization;
      const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (opts.apiKey !== undefined && apiKey !== opts.apiKey) {
        return {
          status: 401,
          body: errorBody(
            401,
            flavor === 'groq' ? 'Invalid API Key' : 'Incorrect API key provided.',
          ),
        };
      }
      const body = raw as Record<string, unknown>;
      const messages = (body.messages as OpenAIWireMessage[] | undefined) ?? [];
      const lastUser = [...messages].reverse().find((m) => m.role === 'user');
      return {
        stream: body.stream === true,
        record: {
          path: url.pathname,
          model: String(body.model ?? ''),
          stream: body.stream === true,
          apiKey,
          system: messages
            .filter((m) => m.role === 'system')
            .map((m) => m.content ?? '')
            .join('\n'),
          messages,
          tools: (body.tools as OpenAIRequest['tools'] | undefined) ?? [],
          lastUserText: lastUser?.content ?? '',
          body,
        },
      };
    },
    completion(r, rec) {
      const tool_calls = r.toolCalls.map((c) => ({
        id: c.id ?? id('call_'),
        type: 'function',
        function: { name: c.name, arguments: c.rawArgs ?? JSON.stringify(c.args) },
      }));
      return envelope(rec, 'chat.completion', {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: r.text || null,
              refusal: null,
              ...(tool_calls.length ? { tool_calls } : {}),
            },
            logprobs: null,
            finish_reason: tool_calls.length ? 'tool_calls' : 'stop',
          },
        ],
        usage: usage(r),
        ...(flavor === 'groq' ? { x_groq: { id: id('req_') } } : {}),
      });
    },
    chunks(r, rec) {
      const base = envelope(rec, 'chat.completion.chunk', {});
      const chunk = (
        delta: Record<string, unknown>,
        finish: string | null,
        extra: Record<string, unknown> = {},
      ) => ({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...extra,
      });
      const out: unknown[] = r.pieces.map((p, i) =>
        chunk(i === 0 ? { role: 'assistant', content: p } : { content: p }, null),
      );
      r.toolCalls.forEach((c, index) => {
        const args = c.rawArgs ?? JSON.stringify(c.args);
        const cut = Math.ceil(args.length / 2);
        const head = {
          index,
          id: c.id ?? id('call_'),
          type: 'function',
          function: { name: c.name, arguments: '' },
        };
        out.push(
          chunk(
            {
              ...(out.length === 0 ? { role: 'assistant', content: null } : {}),
              tool_calls: [head],
            },
            null,
          ),
        );
        out.push(
          chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, cut) } }] }, null),
        );
        out.push(
          chunk({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] }, null),
        );
      });
      const finish = r.toolCalls.length ? 'tool_calls' : 'stop';
      if (flavor === 'groq') {
        out.push(chunk({}, finish, { x_groq: { id: id('req_'), usage: usage(r) } }));
      } else {
        out.push(chunk({}, finish));
        const so = rec.body.stream_options as { include_usage?: boolean } | undefined;
        if (so?.include_usage) out.push({ ...base, choices: [], usage: usage(r) });
      }
      return out;
    },
  };
}

/** Start a fake OpenAI (default) or Groq on 127.0.0.1 (random port). Close it in `afterAll`. */
export async function createFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const flavor = opts.flavor ?? 'openai';
  const fake = await startLlmFake(
    makeWire(flavor, opts),
    opts.reply ?? (() => ({ text: `Hello from fake ${flavor}` })),
  );
  return Object.assign(fake, {
    flavor,
    baseUrl: flavor === 'openai' ? `${fake.url}/v1` : fake.url,
  });
}

/** Shorthand for `createFakeOpenAI({ ...opts, flavor: 'groq' })`. */
export function createFakeGroq(opts: Omit<FakeOpenAIOptions, 'flavor'> = {}): Promise<FakeOpenAI> {
  return createFakeOpenAI({ ...opts, flavor: 'groq' });
}
