/**
 * The `kb_embed` job's service: chunk one knowledge-base document, embed the chunks (batches of
 * 64) and store them, replacing earlier chunks (idempotent on retry). A final failure marks
 * the document `failed` with the error; earlier attempts rethrow so the queue retries.
 */
import type { Database } from '../../core/db/client.ts';
import { chunkDocument } from '../../core/services/commerce/kb-chunking.ts';
import { getDocument, markDocumentFailed, storeChunks } from '../../core/services/commerce/knowledge.ts';
import type { Embedder } from './embedder.ts';

export async function indexDocument(
  deps: { db: Database; embedder: Embedder },
  job: { tenantId: string; documentId: string },
  ctx: { final: boolean; signal?: AbortSignal } = { final: true },
): Promise<void> {
  const doc = await deps.db.withTenant(job.tenantId, (tx) => getDocument(tx, job.documentId));
  if (!doc) return;
  try {
    const chunks = chunkDocument(doc.format, doc.body);
    const vectors: number[][] = [];
    for (let i = 0; i < chunks.length; i += 64) vectors.push(...(await deps.embedder.embed(chunks.slice(i, i + 64), 'document', ctx.signal)));
    await deps.db.withTenant(job.tenantId, (tx) => storeChunks(tx, doc, chunks, vectors, deps.embedder.model));
  } catch (err) {
    if (ctx.final) await deps.db.withTenant(job.tenantId, (tx) => markDocumentFailed(tx, doc.id, (err as Error).message));
    throw err;
  }
}
