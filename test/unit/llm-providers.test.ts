/**
 * Each provider through its real SDK against a local fake speaking the provider's wire
 * format: text, streaming, tool-call round trips, usage, and error classification.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { classifyError, parseRetryAfter } from '../../agents/llm/errors.ts';
import { GeminiProvider } from '../../agents/llm/gemini-provider.ts';
import { OFFLINE_REPLY, OfflineProvider } from '../../agents/llm/offline-provider.ts';
import { OpenAICompatibleProvider } from '../../agents/llm/openai-compatible-provider.ts';
import { createProviders } from '../../agents/llm/providers.ts';
import {
  LlmError,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type LlmProvider,
  type ToolSpec,
} from '../../agents/llm/types.ts';
import { createFakeGemini, type FakeGemini } from '../fakes/fake-gemini.ts';
import { createFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.ts';
import type { LlmFake } from '../fakes/http-fake.ts';

const TOOLS: ToolSpec[] = [
  {
    name: 'check_availability',
    description: 'Check free slots',
    parameters: {
      type: 'object',
      properties: {
        date: { type: 'string', description: 'YYYY-MM-DD' },
        party: { type: 'integer' },
        kind: { type: 'string', enum: ['table', 'room'] },
      },
      required: ['date'],
    },
  },
];

const hello: GenerateRequest = {
  system: 'You are the hotel assistant.',
  messages: [{ role: 'user', content: 'Hi there' }],
};

async function drain(
  p: LlmProvider,
  req: GenerateRequest,
): Promise<{ deltas: string[]; result: GenerateResult }> {
  const gen = p.stream(req);
  const deltas: string[] = [];
  for (;;) {
    const step = await gen.next();
    if (step.done) return { deltas, result: step.value };
    deltas.push(step.value.text);
  }
}

/** Runs `fn`, expects an LlmError, returns it. */
async function failure(fn: () => Promise<unknown>): Promise<LlmError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LlmError);
    return err as LlmError;
  }
  throw new Error('expected an LlmError');
}

interface Case {
  label: string;
  provider: () => LlmProvider;
  fake: () => LlmFake<{ lastUserText: string; model: string }>;
}

/** Error classification and usage are the same contract for every real provider. */
function commonContract(c: Case) {
  describe(`${c.label}: common contract`, () => {
    beforeEach(() => c.fake().reset());

    it('maps text and usage (generate)', async () => {
      c.fake().script({ text: 'Karibu! How can I help?', usage: { input: 42, output: 7 } });
      const r = await c.provider().generate(hello);
      expect(r.text).toBe('Karibu! How can I help?');
      expect(r.toolCalls).toEqual([]);
      expect(r.usage).toEqual({ inputTokens: 42, outputTokens: 7 });
      expect(r.model).toBe(c.provider().model);
      expect(c.fake().requests[0]!.lastUserText).toBe('Hi there');
    });

    it('streams text deltas and returns the full result', async () => {
      c.fake().script({ text: 'one two three', usage: { input: 5, output: 3 } });
      const { deltas, result } = await drain(c.provider(), hello);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('one two three');
      expect(result.text).toBe('one two three');
      expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 3 });
    });

    it('500 → server, retryable, no SDK retry', async () => {
      c.fake().script({ status: 500 });
      const e = await failure(() => c.provider().generate(hello));
      expect(e.kind).toBe('server');
      expect(e.status).toBe(500);
      expect(e.retryable).toBe(true);
      expect(c.fake().requests).toHaveLength(1);
    });

    it('429 + Retry-After → rate_limited with retryAfterMs, no SDK retry', async () => {
      c.fake().script({ status: 429, retryAfter: 2 });
      const e = await failure(() => c.provider().generate(hello));
      expect(e.kind).toBe('rate_limited');
      expect(e.retryAfterMs).toBe(2000);
      expect(e.retryable).toBe(true);
      expect(c.fake().requests).toHaveLength(1);
    });

    it('400 → client, not retryable', async () => {
      c.fake().script({ status: 400, message: 'bad request' });
      const e = await failure(() => c.provider().generate(hello));
      expect(e.kind).toBe('client');
      expect(e.retryable).toBe(false);
    });

    it('hang + deadline signal → timeout', async () => {
      c.fake().script({ hang: true });
      const started = Date.now();
      const e = await failure(() =>
        c.provider().generate({ ...hello, signal: AbortSignal.timeout(200) }),
      );
      expect(e.kind).toBe('timeout');
      expect(e.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('hang in a stream + deadline signal → timeout', async () => {
      c.fake().script({ hang: true });
      const e = await failure(() =>
        drain(c.provider(), { ...hello, signal: AbortSignal.timeout(200) }),
      );
      expect(e.kind).toBe('timeout');
    });

    it('caller abort → aborted, not retryable', async () => {
      c.fake().script({ hang: true });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const e = await failure(() => c.provider().generate({ ...hello, signal: ac.signal }));
      expect(e.kind).toBe('aborted');
      expect(e.retryable).toBe(false);
    });

    it('malformed body → malformed', async () => {
      c.fake().script({ malformed: true });
      expect((await failure(() => c.provider().generate(hello))).kind).toBe('malformed');
    });

    it('malformed stream event → malformed', async () => {
      c.fake().script({ malformed: true });
      expect((await failure(() => drain(c.provider(), hello))).kind).toBe('malformed');
    });

    it('stream cut before the first token → connection error', async () => {
      c.fake().script({ cutBeforeFirstToken: true, text: 'never seen' });
      const e = await failure(() => drain(c.provider(), hello));
      expect(e.kind).toBe('connection');
      expect(e.retryable).toBe(true);
    });

    it('stream cut after the first token → error after that token', async () => {
      c.fake().script({ cutAfterFirstToken: true, text: 'first second third' });
      const gen = c.provider().stream(hello);
      const first = await gen.next();
      expect(first.done).toBe(false);
      expect((first.value as { text: string }).text).toBe('first ');
      const e = await failure(async () => {
        for (;;) if ((await gen.next()).done) return;
      });
      expect(e.kind).toBe('connection');
    });

    it('non-stream body cut mid-way → error', async () => {
      c.fake().script({ cutAfterFirstToken: true, text: 'a b c' });
      const e = await failure(() => c.provider().generate(hello));
      expect(['connection', 'malformed']).toContain(e.kind);
    });
  });
}

describe('Gemini provider', () => {
  let fake: FakeGemini;
  let provider: GeminiProvider;
  beforeAll(async () => {
    fake = await createFakeGemini({ apiKey: 'gemini-test-key' });
    provider = new GeminiProvider({
      apiKey: 'gemini-test-key',
      baseUrl: fake.baseUrl,
      model: 'gemini-2.5-flash',
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  commonContract({ label: 'gemini', provider: () => provider, fake: () => fake });

  it('sends model, system instruction, contents and tool declarations on the wire', async () => {
    const r = await provider.generate({ ...hello, tools: TOOLS, maxTokens: 256, temperature: 0.2 });
    expect(r.text).toBe('Hello from fake gemini');
    const req = fake.requests[0]!;
    expect(req.model).toBe('gemini-2.5-flash');
    expect(req.apiKey).toBe('gemini-test-key');
    expect(req.system).toBe('You are the hotel assistant.');
    expect(req.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi there' }] }]);
    expect(req.generationConfig).toMatchObject({ maxOutputTokens: 256, temperature: 0.2 });
    expect(req.functionDeclarations[0]).toMatchObject({
      name: 'check_availability',
      parameters: {
        type: 'OBJECT',
        required: ['date'],
        properties: {
          date: { type: 'STRING' },
          party: { type: 'INTEGER' },
          kind: { type: 'STRING', enum: ['table', 'room'] },
        },
      },
    });
  });

  it('wrong API key → client error (Gemini answers 400 API_KEY_INVALID)', async () => {
    const bad = new GeminiProvider({
      apiKey: 'nope',
      baseUrl: fake.baseUrl,
      model: 'gemini-2.5-flash',
    });
    const e = await failure(() => bad.generate(hello));
    expect(e.kind).toBe('client');
    expect(e.status).toBe(400);
  });

  it('tool call round trip: functionCall → functionResponse → final text', async () => {
    fake.script(
      { toolCalls: [{ name: 'check_availability', args: { date: '2025-06-01', party: 2 } }] },
      { text: 'We have a table at 19:00.' },
    );
    const first = await provider.generate({ ...hello, tools: TOOLS });
    expect(first.text).toBe('');
    expect(first.toolCalls).toHaveLength(1);
    const call = first.toolCalls[0]!;
    expect(call).toMatchObject({
      name: 'check_availability',
      args: { date: '2025-06-01', party: 2 },
    });
    expect(call.id).toBeTruthy();
    expect(call.signature).toBe('fake-signature-check_availability');

    const messages: ChatMessage[] = [
      ...hello.messages,
      { role: 'assistant', content: '', toolCalls: first.toolCalls },
      {
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: JSON.stringify({ slots: ['19:00'] }),
      },
    ];
    const second = await provider.generate({ ...hello, messages, tools: TOOLS });
    expect(second.text).toBe('We have a table at 19:00.');

    const sent = fake.requests[1]!.contents;
    expect(sent).toEqual([
      { role: 'user', parts: [{ text: 'Hi there' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'check_availability', args: { date: '2025-06-01', party: 2 } },
            thoughtSignature: 'fake-signature-check_availability',
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'check_availability',
              response: { output: { slots: ['19:00'] } },
            },
          },
        ],
      },
    ]);
  });

  it('streams a tool call', async () => {
    fake.script({ toolCalls: [{ name: 'check_availability', args: { date: '2025-06-02' } }] });
    const { result } = await drain(provider, { ...hello, tools: TOOLS });
    expect(result.toolCalls).toMatchObject([
      { name: 'check_availability', args: { date: '2025-06-02' } },
    ]);
    expect(fake.requests[0]!.stream).toBe(true);
  });

  it('echoes Gemini-issued call ids back in functionResponse', async () => {
    fake.script(
      { toolCalls: [{ id: 'fc-123', name: 'check_availability', args: { date: 'x' } }] },
      { text: 'ok' },
    );
    const first = await provider.generate({ ...hello, tools: TOOLS });
    expect(first.toolCalls[0]!.id).toBe('fc-123');
    await provider.generate({
      ...hello,
      tools: TOOLS,
      messages: [
        ...hello.messages,
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'fc-123', name: 'check_availability', content: 'no slots' },
      ],
    });
    const parts = fake.requests[1]!.contents[2]!.parts;
    expect(parts[0]!.functionResponse).toEqual({
      id: 'fc-123',
      name: 'check_availability',
      response: { output: 'no slots' },
    });
  });
});

for (const flavor of ['openai', 'groq'] as const) {
  describe(`OpenAI-compatible provider (${flavor})`, () => {
    let fake: FakeOpenAI;
    let provider: OpenAICompatibleProvider;
    const model = flavor === 'openai' ? 'gpt-4o-mini' : 'llama-3.3-70b-versatile';
    beforeAll(async () => {
      fake = await createFakeOpenAI({ flavor, apiKey: `${flavor}-key` });
      provider = new OpenAICompatibleProvider({
        name: flavor,
        apiKey: `${flavor}-key`,
        baseUrl: fake.baseUrl,
        model,
      });
    });
    afterAll(() => fake.close());
    beforeEach(() => fake.reset());

    commonContract({ label: flavor, provider: () => provider, fake: () => fake });

    it('sends the chat-completions request the vendor documents', async () => {
      await provider.generate({ ...hello, tools: TOOLS, maxTokens: 128, temperature: 0.1 });
      const req = fake.requests[0]!;
      expect(req.path).toBe(
        flavor === 'openai' ? '/v1/chat/completions' : '/openai/v1/chat/completions',
      );
      expect(req.apiKey).toBe(`${flavor}-key`);
      expect(req.model).toBe(model);
      expect(req.messages).toEqual([
        { role: 'system', content: 'You are the hotel assistant.' },
        { role: 'user', content: 'Hi there' },
      ]);
      expect(req.tools).toEqual([
        {
          type: 'function',
          function: {
            name: 'check_availability',
            description: 'Check free slots',
            parameters: TOOLS[0]!.parameters,
          },
        },
      ]);
      expect(req.body).toMatchObject({ max_completion_tokens: 128, temperature: 0.1 });
    });

    it(`streaming asks for usage the ${flavor} way`, async () => {
      await drain(provider, hello);
      const body = fake.requests[0]!.body;
      expect(body.stream).toBe(true);
      if (flavor === 'openai') expect(body.stream_options).toEqual({ include_usage: true });
      else expect(body.stream_options).toBeUndefined();
    });

    it('wrong API key → client error 401', async () => {
      const bad = new OpenAICompatibleProvider({
        name: flavor,
        apiKey: 'wrong',
        baseUrl: fake.baseUrl,
        model,
      });
      const e = await failure(() => bad.generate(hello));
      expect(e).toMatchObject({ kind: 'client', status: 401 });
    });

    it('tool call round trip: tool_calls → tool message → final text', async () => {
      fake.script(
        {
          toolCalls: [{ id: 'call_abc', name: 'check_availability', args: { date: '2025-06-01' } }],
        },
        { text: 'Booked for 19:00.' },
      );
      const first = await provider.generate({ ...hello, tools: TOOLS });
      expect(first.toolCalls).toEqual([
        { id: 'call_abc', name: 'check_availability', args: { date: '2025-06-01' } },
      ]);
      const second = await provider.generate({
        ...hello,
        tools: TOOLS,
        messages: [
          ...hello.messages,
          { role: 'assistant', content: '', toolCalls: first.toolCalls },
          {
            role: 'tool',
            toolCallId: 'call_abc',
            name: 'check_availability',
            content: '{"slots":["19:00"]}',
          },
        ],
      });
      expect(second.text).toBe('Booked for 19:00.');
      expect(fake.requests[1]!.messages.slice(2)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_abc',
              type: 'function',
              function: { name: 'check_availability', arguments: '{"date":"2025-06-01"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_abc', content: '{"slots":["19:00"]}' },
      ]);
    });

    it('accumulates streamed tool-call deltas (two parallel calls)', async () => {
      fake.script({
        text: 'Checking',
        toolCalls: [
          { id: 'call_1', name: 'check_availability', args: { date: '2025-06-01', party: 4 } },
          { id: 'call_2', name: 'check_availability', args: { date: '2025-06-02' } },
        ],
        usage: { input: 30, output: 12 },
      });
      const { deltas, result } = await drain(provider, { ...hello, tools: TOOLS });
      expect(deltas.join('')).toBe('Checking');
      expect(result.toolCalls).toEqual([
        { id: 'call_1', name: 'check_availability', args: { date: '2025-06-01', party: 4 } },
        { id: 'call_2', name: 'check_availability', args: { date: '2025-06-02' } },
      ]);
      expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 12 });
    });

    it('malformed tool-call arguments → malformed', async () => {
      fake.script({ toolCalls: [{ name: 'check_availability', args: {}, rawArgs: '{"date": ' }] });
      expect((await failure(() => provider.generate({ ...hello, tools: TOOLS }))).kind).toBe(
        'malformed',
      );
      fake.script({ toolCalls: [{ name: 'check_availability', args: {}, rawArgs: '{"date": ' }] });
      expect((await failure(() => drain(provider, { ...hello, tools: TOOLS }))).kind).toBe(
        'malformed',
      );
    });
  });
}

describe('connection failures', () => {
  it('refused connection → connection error for every SDK', async () => {
    const dead = 'http://127.0.0.1:9'; // discard port: nothing listens
    const providers: LlmProvider[] = [
      new GeminiProvider({ apiKey: 'k', baseUrl: dead, model: 'gemini-2.5-flash' }),
      new OpenAICompatibleProvider({
        name: 'openai',
        apiKey: 'k',
        baseUrl: `${dead}/v1`,
        model: 'gpt-4o-mini',
      }),
      new OpenAICompatibleProvider({ name: 'groq', apiKey: 'k', baseUrl: dead, model: 'llama' }),
    ];
    for (const p of providers) {
      const e = await failure(() => p.generate(hello));
      expect(e.kind, p.name).toBe('connection');
      expect(e.provider).toBe(p.name);
    }
  });
});

describe('offline provider', () => {
  it('answers the honest fallback with zero usage, without network', async () => {
    const p = new OfflineProvider();
    expect(p.name).toBe('offline');
    const r = await p.generate({ ...hello, signal: AbortSignal.abort() });
    expect(r).toEqual({
      text: OFFLINE_REPLY,
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      model: 'offline',
    });
    const { deltas, result } = await drain(p, hello);
    expect(deltas.join('')).toBe(OFFLINE_REPLY);
    expect(result.model).toBe('offline');
  });
});

describe('createProviders', () => {
  it('builds only providers with an API key, plus offline', () => {
    expect(Object.keys(createProviders(loadConfig({})))).toEqual(['offline']);
    const all = createProviders(
      loadConfig({
        GEMINI_API_KEY: 'g',
        GROQ_API_KEY: 'q',
        OPENAI_API_KEY: 'o',
        GROQ_MODEL: 'llama-x',
      }),
    );
    expect(Object.keys(all).sort()).toEqual(['gemini', 'groq', 'offline', 'openai']);
    expect(all.groq!.model).toBe('llama-x');
    expect(all.gemini!.name).toBe('gemini');
  });
});

describe('classifyError / parseRetryAfter', () => {
  it('parses Retry-After seconds and HTTP-dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('reads an HTTP-date Retry-After through the OpenAI SDK', async () => {
    const fake = await createFakeOpenAI();
    try {
      const p = new OpenAICompatibleProvider({
        name: 'openai',
        apiKey: 'k',
        baseUrl: fake.baseUrl,
        model: 'm',
      });
      fake.script({ status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
      const e = await failure(() => p.generate(hello));
      expect(e.kind).toBe('rate_limited');
      expect(e.retryAfterMs).toBeGreaterThan(25_000);
      expect(e.retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      await fake.close();
    }
  });

  it('maps plain errors', () => {
    expect(classifyError('gemini', new SyntaxError('Unexpected end of JSON input')).kind).toBe(
      'malformed',
    );
    expect(
      classifyError('gemini', new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }))
        .kind,
    ).toBe('connection');
    expect(classifyError('groq', Object.assign(new Error('x'), { status: 503 })).kind).toBe(
      'server',
    );
    expect(classifyError('groq', Object.assign(new Error('x'), { status: 408 })).kind).toBe(
      'timeout',
    );
    expect(classifyError('openai', new DOMException('aborted', 'AbortError')).kind).toBe('timeout');
    const already = new LlmError('openai', 'client', 'x', 401);
    expect(classifyError('openai', already)).toBe(already);
  });
});
