/**
 * The `kb_embed` job's service: chunk one knowledge-base document, embed the chunks (batches of
 * 32) and store them, replacing earlier chunks (idempotent on retry). Progress is written to the
 * document (status chunking → embedding with chunksDone/chunksTotal → ready) and, when a bus is
 * given, published as `knowledge.progress` events on `tenant:<id>` (the console's SSE stream).
 * A final failure marks the document `failed` with the error; earlier attempts rethrow so the
 * queue retries.
 */
import type { Database } from '../../core/db/client.ts';
import type { EventBus, KnowledgeProgressEvent } from '../../core/events.ts';
import { chunkDocument } from '../../core/services/commerce/kb-chunking.ts';
import { getDocument, markDocumentFailed, setProgress, storeChunks, type KbProgress } from '../../core/services/commerce/knowledge.ts';
import type { Embedder } from './embedder.ts';

/** Chunks per embedding request; also the progress granularity. */
export const EMBED_BATCH = 32;

export async function indexDocument(
  deps: { db: Database; embedder: Embedder; bus?: EventBus },
  job: { tenantId: string; documentId: string },
  ctx: { final: boolean; signal?: AbortSignal } = { final: true },
): Promise<void> {
  const doc = await deps.db.withTenant(job.tenantId, (tx) => getDocument(tx, job.documentId));
  if (!doc) return;
  const publish = async (p: KbProgress) => {
    const ev: KnowledgeProgressEvent = { type: 'knowledge.progress', documentId: doc.id, ...p };
    // A lost live event only delays the console's view (it re-reads the list); never fail the job for it.
    await deps.bus?.publish(`tenant:${job.tenantId}`, ev).catch(() => {});
  };
  const progress = async (p: KbProgress) => {
    if (!(await deps.db.withTenant(job.tenantId, (tx) => setProgress(tx, doc.id, p)))) throw new DocumentGone();
    await publish(p);
  };
  try {
    await progress({ status: 'chunking', chunksDone: 0, chunksTotal: 0 });
    const chunks = chunkDocument(doc.format, doc.body);
    await progress({ status: 'embedding', chunksDone: 0, chunksTotal: chunks.length });
    const vectors: number[][] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      vectors.push(...(await deps.embedder.embed(chunks.slice(i, i + EMBED_BATCH), 'document', ctx.signal)));
      if (vectors.length < chunks.length) await progress({ status: 'embedding', chunksDone: vectors.length, chunksTotal: chunks.length });
    }
    await deps.db.withTenant(job.tenantId, (tx) => storeChunks(tx, doc, chunks, vectors, deps.embedder.model));
    await publish({ status: 'ready', chunksDone: chunks.length, chunksTotal: chunks.length });
  } catch (err) {
    if (err instanceof DocumentGone) return; // deleted while indexing: nothing left to do
    if (ctx.final) {
      await deps.db.withTenant(job.tenantId, (tx) => markDocumentFailed(tx, doc.id, (err as Error).message));
      await publish({ status: 'failed', chunksDone: 0, chunksTotal: 0 });
    }
    throw err;
  }
}

class DocumentGone extends Error {}
