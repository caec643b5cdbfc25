/**
 * Text embeddings, 768 dimensions, L2-normalised (so cosine distance = 1 − dot product):
 *  - Gemini: `@google/genai` `models.embedContent` (model `gemini-embedding-001`,
 *    `outputDimensionality: 768`); wire: `POST {base}/v1beta/models/{model}:batchEmbedContents`
 *    `{ requests: [{ model, content: { parts: [{ text }] }, taskType, outputDimensionality }] }` →
 *    `{ embeddings: [{ values: number[] }] }` (https://ai.google.dev/api/embeddings).
 *  - OpenAI: `openai` `embeddings.create` (`text-embedding-3-small`, `dimensions: 768`,
 *    `encoding_format: 'float'`); wire: `POST {base}/embeddings` → `{ data: [{ index, embedding }] }`.
 *  - Local: deterministic hashed character n-grams (3–5) and words, no network — used when no
 *    provider key is set (zero setup, tests).
 * Vectors from different models are not comparable: rows store `embedding_model` and searches
 * filter on it.
 */
import { createHash } from 'node:crypto';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { Config } from '../../core/config.ts';

export const EMBEDDING_DIMS = 768;

export interface Embedder {
  /** Stored with each vector, e.g. `gemini:gemini-embedding-001@768`. */
  readonly model: string;
  /**
   * @param kind documents are indexed, queries searched (Gemini uses different task types).
   * @returns one 768-d unit vector per text, in order. Throws the SDK's error on failure.
   */
  embed(texts: string[], kind: 'document' | 'query', signal?: AbortSignal): Promise<number[][]>;
}

/** Scale to unit length (zero vector stays zero). */
export function normalise(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n > 0 ? v.map((x) => x / n) : v;
}

function hash32(s: string): number {
  return createHash('md5').update(s).digest().readUInt32LE(0);
}

/** Lower-case, strip accents and punctuation; keeps letters/digits of any script. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const cache = new Map<string, number>();
const bucket = (feature: string) => {
  let h = cache.get(feature);
  if (h === undefined) {
    h = hash32(feature);
    if (cache.size > 200_000) cache.clear();
    cache.set(feature, h);
  }
  return h;
};

/** Hashed features: words (weight 2) and character 3/4/5-grams of each padded word (weight 1). */
export function localEmbedding(text: string): number[] {
  const v = new Array<number>(EMBEDDING_DIMS).fill(0);
  const add = (feature: string, w: number) => {
    const h = bucket(feature);
    v[h % EMBEDDING_DIMS]! += (h & 0x80000000 ? -1 : 1) * w;
  };
  for (const word of normaliseText(text).split(' ')) {
    if (!word) continue;
    add(`w:${word}`, 2);
    const padded = ` ${word} `;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 1);
  }
  return normalise(v);
}

export function createLocalEmbedder(): Embedder {
  return { model: 'local:ngram-v1@768', embed: async (texts) => texts.map(localEmbedding) };
}

export function createGeminiEmbedder(opts: { apiKey: string; baseUrl?: string; model?: string }): Embedder {
  const model = opts.model ?? 'gemini-embedding-001';
  const client = new GoogleGenAI({
    apiKey: opts.apiKey,
    vertexai: false,
    httpOptions: opts.baseUrl ? { baseUrl: opts.baseUrl } : undefined,
  });
  return {
    model: `gemini:${model}@${EMBEDDING_DIMS}`,
    async embed(texts, kind, signal) {
      if (!texts.length) return [];
      const res = await client.models.embedContent({
        model,
        contents: texts,
        config: {
          outputDimensionality: EMBEDDING_DIMS,
          taskType: kind === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT',
          abortSignal: signal,
        },
      });
      const out = (res.embeddings ?? []).map((e) => normalise(e.values ?? []));
      if (out.length !== texts.length || out.some((v) => v.length !== EMBEDDING_DIMS))
        throw new Error(`gemini embeddings: expected ${texts.length}×${EMBEDDING_DIMS}, got ${out.length}×${out[0]?.length}`);
      return out;
    },
  };
}

export function createOpenAIEmbedder(opts: { apiKey: string; baseUrl?: string; model?: string }): Embedder {
  const model = opts.model ?? 'text-embedding-3-small';
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseUrl, maxRetries: 1 });
  return {
    model: `openai:${model}@${EMBEDDING_DIMS}`,
    async embed(texts, _kind, signal) {
      if (!texts.length) return [];
      const res = await client.embeddings.create(
        { model, input: texts, dimensions: EMBEDDING_DIMS, encoding_format: 'float' },
        { signal },
      );
      const out = [...res.data].sort((a, b) => a.index - b.index).map((d) => normalise(d.embedding));
      if (out.length !== texts.length || out.some((v) => v.length !== EMBEDDING_DIMS))
        throw new Error(`openai embeddings: expected ${texts.length}×${EMBEDDING_DIMS}, got ${out.length}×${out[0]?.length}`);
      return out;
    },
  };
}

/** Gemini when its key is set, else OpenAI, else the local embedder. */
export function createEmbedder(cfg: Pick<Config, 'gemini' | 'openai'>): Embedder {
  if (cfg.gemini.apiKey) return createGeminiEmbedder({ apiKey: cfg.gemini.apiKey, baseUrl: cfg.gemini.baseUrl });
  if (cfg.openai.apiKey) return createOpenAIEmbedder({ apiKey: cfg.openai.apiKey, baseUrl: cfg.openai.baseUrl });
  return createLocalEmbedder();
}

