/**
 * Retrieval on the real PostgreSQL + pgvector: a labelled hotel FAQ is chunked, embedded and
 * stored through the same path as the `kb_embed` job, then searched with the tenant filter.
 * Reports recall@5 for the local embedder and for the real Gemini / OpenAI SDK paths against
 * the fake embedding endpoints; checks the tenant filter and the iterative-scan guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OwnerDatabase } from '../../core/db/client.ts';
import { createDocument, searchChunks, vectorCapabilities } from '../../core/services/commerce/knowledge.ts';
import { chunkDocument } from '../../core/services/commerce/kb-chunking.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { indexDocument } from '../../agents/memory/kb-indexer.ts';
import { createGeminiEmbedder, createLocalEmbedder, createOpenAIEmbedder, type Embedder } from '../../agents/memory/embedder.ts';
import { createFakeGemini, type FakeGemini } from '../fakes/fake-gemini.ts';
import { createFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { FAQ, FAQ_BODY, QUERIES } from '../fixtures/hotel-faq.ts';

let db: OwnerDatabase;
let drop: () => Promise<void>;
let gemini: FakeGemini;
let openai: FakeOpenAI;
const recalls: Record<string, number> = {};

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = await openDatabase({ databaseUrl: t.url, dataDir: '/tmp' });
  [gemini, openai] = await Promise.all([createFakeGemini(), createFakeOpenAI()]);
});
afterAll(async () => {
  console.log(`recall@5 on the labelled FAQ (${QUERIES.length} queries, ${FAQ.length} chunks): ${JSON.stringify(recalls)}`);
  await db?.close();
  await drop?.();
  await Promise.all([gemini?.close(), openai?.close()]);
});

let n = 0;
async function recallAt5(embedder: Embedder, exactMaxChunks?: number): Promise<number> {
  const tenant = await createTenant(db, { slug: `kb-${++n}-${Date.now() % 100000}`, name: 'Hotel', industry: 'hotels', status: 'active' });
  const noise = await createTenant(db, { slug: `kbn-${n}-${Date.now() % 100000}`, name: 'Other', industry: 'hotels', status: 'active' });
  for (const [tn, body] of [[tenant, FAQ_BODY], [noise, FAQ_BODY]] as const) {
    const doc = await db.withTenant(tn.id, (tx) => createDocument(tx, tn.id, { title: 'FAQ', format: 'faq', body }));
    await indexDocument({ db, embedder }, { tenantId: tn.id, documentId: doc.id });
  }
  const { iterativeScan } = await vectorCapabilities(db);
  let hits = 0;
  for (const [q, want] of QUERIES) {
    const [v] = await embedder.embed([q], 'query');
    const res = await db.withTenant(tenant.id, (tx) => searchChunks(tx, tenant.id, v!, embedder.model, 5, { iterativeScan, exactMaxChunks }));
    expect(res.length).toBe(5);
    const ids = await db.query<{ id: string; tenant_id: string }>('select id, tenant_id from kb_chunks where id = any($1::bigint[])', [res.map((r) => r.id)]);
    expect(ids.every((r) => r.tenant_id === tenant.id)).toBe(true); // the tenant filter holds
    if (res.some((r) => r.content.startsWith(`Q: ${FAQ[want]![0]}`))) hits++;
  }
  return hits / QUERIES.length;
}

describe('knowledge retrieval', () => {
  it('chunks the FAQ one entry per chunk and knows the installed pgvector has iterative scan', async () => {
    expect(chunkDocument('faq', FAQ_BODY)).toHaveLength(FAQ.length);
    const caps = await vectorCapabilities(db);
    expect(caps.iterativeScan).toBe(true);
    console.log(`pgvector ${caps.version}`);
  });

  it('local embedder: recall@5 on the labelled FAQ', async () => {
    recalls.local = await recallAt5(createLocalEmbedder());
    expect(recalls.local).toBeGreaterThanOrEqual(0.8);
    // Same data through the HNSW index (iterative scan) instead of the exact small-tenant path.
    recalls.localHnsw = await recallAt5(createLocalEmbedder(), 0);
    expect(recalls.localHnsw).toBeGreaterThanOrEqual(0.8);
  });

  it('Gemini SDK (models.embedContent → batchEmbedContents) against the fake: recall@5', async () => {
    recalls.geminiFake = await recallAt5(createGeminiEmbedder({ apiKey: 'k', baseUrl: gemini.url }));
    expect(recalls.geminiFake).toBeGreaterThanOrEqual(0.5);
  });

  it('OpenAI SDK (embeddings.create, dimensions 768) against the fake: recall@5', async () => {
    recalls.openaiFake = await recallAt5(createOpenAIEmbedder({ apiKey: 'k', baseUrl: openai.baseUrl }));
    expect(recalls.openaiFake).toBeGreaterThanOrEqual(0.5);
  });
});
