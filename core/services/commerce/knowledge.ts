/**
 * Tenant knowledge base: documents (text / markdown / FAQ) → chunks with 768-d embeddings
 * (pgvector, HNSW cosine index) → tenant-filtered nearest-neighbour search.
 *
 * Search sets `hnsw.iterative_scan = relaxed_order` (pgvector ≥ 0.8) so the tenant filter does
 * not starve the index scan of results, then re-sorts the materialised top-k (relaxed order may
 * return slightly out of order). On pgvector < 0.8 the setting is skipped (see
 * `vectorCapabilities`). Embeddings are computed by the caller (agents/memory); core only stores
 * and searches vectors.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { kbChunks, kbDocuments } from '../../db/schema/index.ts';
import { chunkDocument, type KbFormat } from './kb-chunking.ts';
import { AppError } from '../../errors.ts';

export type KbDocumentRow = typeof kbDocuments.$inferSelect;

export class KnowledgeInputError extends AppError {
  constructor(message: string) {
    super('invalid_document', message);
  }
}

/** pgvector text literal `[x,y,…]` (6 decimals). */
export const toVectorLiteral = (v: number[]) => `[${v.map((x) => (Number.isFinite(x) ? x.toFixed(6) : '0')).join(',')}]`;

const caps = new WeakMap<Database, Promise<{ version: string; iterativeScan: boolean }>>();
/** Installed pgvector version and whether it has `hnsw.iterative_scan` (≥ 0.8), cached per database. */
export function vectorCapabilities(db: Database): Promise<{ version: string; iterativeScan: boolean }> {
  let p = caps.get(db);
  if (!p) {
    p = db.withPlatform((tx) => tx.execute(sql`select extversion from pg_extension where extname = 'vector'`)).then((res) => {
      const r = res.rows[0] as { extversion?: string } | undefined;
      const [maj = 0, min = 0] = (r?.extversion ?? '0.0').split('.').map(Number);
      return { version: r?.extversion ?? 'none', iterativeScan: maj > 0 || min >= 8 };
    });
    caps.set(db, p);
  }
  return p;
}

/** Store a document as `pending` (the `kb_embed` job chunks and embeds it). @throws KnowledgeInputError when empty. */
export async function createDocument(
  tx: Tx,
  tenantId: string,
  input: { title: string; format: KbFormat; body: string },
): Promise<KbDocumentRow> {
  if (!chunkDocument(input.format, input.body).length) throw new KnowledgeInputError('document has no text');
  const [row] = await tx.insert(kbDocuments).values({ tenantId, ...input }).returning();
  return row!;
}

export async function listDocuments(tx: Tx): Promise<KbDocumentRow[]> {
  return tx.select().from(kbDocuments).orderBy(desc(kbDocuments.createdAt)).limit(500);
}

export async function getDocument(tx: Tx, id: string): Promise<KbDocumentRow | undefined> {
  const [row] = await tx.select().from(kbDocuments).where(eq(kbDocuments.id, id));
  return row;
}

/** @returns true when a document was deleted (its chunks go with it). */
export async function deleteDocument(tx: Tx, id: string): Promise<boolean> {
  return (await tx.delete(kbDocuments).where(eq(kbDocuments.id, id)).returning({ id: kbDocuments.id })).length > 0;
}

/** Replace a document's chunks with these embedded ones and mark it ready (idempotent on retry). */
export async function storeChunks(
  tx: Tx,
  doc: { id: string; tenantId: string },
  chunks: string[],
  vectors: number[][],
  model: string,
): Promise<void> {
  await tx.delete(kbChunks).where(eq(kbChunks.documentId, doc.id));
  for (let i = 0; i < chunks.length; i += 100) {
    await tx.insert(kbChunks).values(
      chunks.slice(i, i + 100).map((content, j) => ({
        tenantId: doc.tenantId,
        documentId: doc.id,
        ord: i + j,
        content,
        embedding: vectors[i + j]!,
        embeddingModel: model,
      })),
    );
  }
  await tx
    .update(kbDocuments)
    .set({ status: 'ready', chunkCount: chunks.length, error: null, updatedAt: sql`now()` })
    .where(eq(kbDocuments.id, doc.id));
}

export async function markDocumentFailed(tx: Tx, id: string, error: string): Promise<void> {
  await tx.update(kbDocuments).set({ status: 'failed', error: error.slice(0, 500), updatedAt: sql`now()` }).where(eq(kbDocuments.id, id));
}

export interface KbHit {
  id: number;
  documentId: string;
  title: string;
  content: string;
  /** Cosine distance, 0 (same direction) … 2. */
  distance: number;
}

/** True when the tenant has any chunk embedded with this model (lets a turn skip embedding). */
export async function hasChunks(tx: Tx, tenantId: string, model: string): Promise<boolean> {
  const r = await tx.execute(sql`select exists(select 1 from kb_chunks where tenant_id = ${tenantId} and embedding_model = ${model}) as e`);
  return Boolean((r.rows[0] as { e: boolean }).e);
}

/** Set HNSW search options for the rest of the transaction. */
export async function setHnswOptions(tx: Tx, iterativeScan: boolean, efSearch = 100): Promise<void> {
  if (iterativeScan) await tx.execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(efSearch)}, true)`);
  else await tx.execute(sql`select set_config('hnsw.ef_search', ${String(Math.max(efSearch, 200))}, true)`);
}

/**
 * Tenants with at most this many chunks are searched exactly (B-tree on tenant_id, then sort by
 * distance: recall 1.0 and a few ms); larger ones through HNSW with iterative scan. With the
 * tenant filter a global HNSW index has to walk past other tenants' vectors (≈ 0.1 % match at
 * 1,000 tenants), which is what makes its tail latency poor — see bench/vector-search.ts.
 */
export const EXACT_SEARCH_MAX_CHUNKS = 20_000;

/** The k chunks nearest to `vector` in this tenant's knowledge base (only `model`'s vectors). */
export async function searchChunks(
  tx: Tx,
  tenantId: string,
  vector: number[],
  model: string,
  k = 5,
  opts: { iterativeScan: boolean; exactMaxChunks?: number } = { iterativeScan: true },
): Promise<KbHit[]> {
  const limit = opts.exactMaxChunks ?? EXACT_SEARCH_MAX_CHUNKS;
  const counted = await tx.execute(
    sql`select count(*)::int as n from (select 1 from kb_chunks where tenant_id = ${tenantId} and embedding_model = ${model} limit ${limit + 1}) s`,
  );
  if ((counted.rows[0] as { n: number }).n <= limit) await tx.execute(sql`select set_config('enable_indexscan', 'off', true)`);
  else await setHnswOptions(tx, opts.iterativeScan);
  const q = toVectorLiteral(vector);
  const r = await tx.execute(sql`
    with c as materialized (
      select id, document_id, content, embedding <=> ${q}::vector as distance
      from kb_chunks where tenant_id = ${tenantId} and embedding_model = ${model}
      order by embedding <=> ${q}::vector limit ${k}
    )
    select c.id, c.document_id, d.title, c.content, c.distance
    from c join kb_documents d on d.id = c.document_id order by c.distance`);
  return (r.rows as Array<Record<string, unknown>>).map((row) => ({
    id: Number(row.id),
    documentId: String(row.document_id),
    title: String(row.title),
    content: String(row.content),
    distance: Number(row.distance),
  }));
}

/** A document's chunks in order (tenant API). */
export async function listChunks(tx: Tx, documentId: string): Promise<Array<{ ord: number; content: string }>> {
  return tx
    .select({ ord: kbChunks.ord, content: kbChunks.content })
    .from(kbChunks)
    .where(and(eq(kbChunks.documentId, documentId)))
    .orderBy(asc(kbChunks.ord));
}
