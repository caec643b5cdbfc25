/**
 * Embedding endpoints for the LLM fakes, in the providers' real wire formats, with a
 * deterministic fake model (hashed words and word bigrams → unit vector of the requested size):
 *  - Gemini `POST /v1beta/models/{model}:batchEmbedContents`
 *    `{ requests: [{ model, content: { parts: [{ text }] }, taskType?, outputDimensionality? }] }`
 *    → `{ embeddings: [{ values }] }` (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents);
 *  - OpenAI `POST /v1/embeddings` `{ model, input: string | string[], dimensions?, encoding_format? }`
 *    → `{ object: 'list', data: [{ object: 'embedding', index, embedding }], model, usage }`; with
 *    `encoding_format: 'base64'` each embedding is base64 of little-endian float32s.
 * The fakes call these from their `route` and answer directly (not recorded, no script consumed).
 */
import { createHash } from 'node:crypto';

/** Every text the fakes embedded, for assertions. */
export const embeddedTexts: string[] = [];

export function fakeEmbedding(text: string, dims = 768): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  const add = (f: string, w: number) => {
    const h = createHash('sha1').update(f).digest();
    v[h.readUInt32LE(0) % dims]! += (h[4]! & 1 ? -1 : 1) * w;
  };
  words.forEach((w, i) => {
    add(w, 1);
    if (w.length > 4) add(w.slice(0, 5), 0.5); // crude stemming: shared prefixes match
    if (i > 0) add(`${words[i - 1]} ${w}`, 0.5);
  });
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
}

/** Gemini batchEmbedContents; null when the path is not an embed call. */
export function geminiEmbed(pathname: string, body: unknown): { status: number; body: unknown } | null {
  if (!/^\/v1beta\/models\/[^/:]+:batchEmbedContents$/.test(pathname)) return null;
  const reqs = ((body as { requests?: unknown[] }).requests ?? []) as Array<{ content?: { parts?: Array<{ text?: string }> }; outputDimensionality?: number }>;
  if (!reqs.length) return { status: 400, body: { error: { code: 400, message: 'requests is empty', status: 'INVALID_ARGUMENT' } } };
  return {
    status: 200,
    body: {
      embeddings: reqs.map((r) => {
        const text = (r.content?.parts ?? []).map((p) => p.text ?? '').join('');
        embeddedTexts.push(text);
        return { values: fakeEmbedding(text, r.outputDimensionality ?? 3072) };
      }),
    },
  };
}

/** OpenAI embeddings; null when the path is not the embeddings endpoint. */
export function openaiEmbed(pathname: string, body: unknown): { status: number; body: unknown } | null {
  if (pathname !== '/v1/embeddings') return null;
  const b = body as { model?: string; input?: string | string[]; dimensions?: number; encoding_format?: string };
  const inputs = typeof b.input === 'string' ? [b.input] : (b.input ?? []);
  if (!inputs.length) return { status: 400, body: { error: { message: "'input' is required", type: 'invalid_request_error', param: 'input', code: null } } };
  return {
    status: 200,
    body: {
      object: 'list',
      model: b.model ?? 'text-embedding-3-small',
      data: inputs.map((text, index) => {
        embeddedTexts.push(text);
        const e = fakeEmbedding(text, b.dimensions ?? 1536);
        return { object: 'embedding', index, embedding: b.encoding_format === 'base64' ? Buffer.from(new Float32Array(e).buffer).toString('base64') : e };
      }),
      usage: { prompt_tokens: inputs.length * 8, total_tokens: inputs.length * 8 },
    },
  };
}
