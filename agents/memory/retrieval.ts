/**
 * Retrieval for a turn: the tenant's knowledge base (pgvector HNSW, tenant filter, iterative
 * scan when pgvector ≥ 0.8) and the customer's memory (facts, past conversation summaries).
 * Embedding failures degrade to "no retrieval" (logged), never to a failed turn.
 */
import type { Database } from '../../core/db/client.ts';
import type { Logger } from '../../core/logger.ts';
import { recallCustomer, type MemoryItem } from '../../core/services/conversations/customer-memory.ts';
import { hasChunks, searchChunks, vectorCapabilities, type KbHit } from '../../core/services/commerce/knowledge.ts';
import type { Embedder } from './embedder.ts';

export interface RetrievalDeps {
  db: Database;
  embedder: Embedder;
  tenantId: string;
  log?: Logger;
}

/** Top-k knowledge chunks for `query` in this tenant ([] when it has none; `known` = presence already checked). */
export async function searchKnowledge(deps: RetrievalDeps, query: string, k = 5, known?: boolean): Promise<KbHit[]> {
  const has = known ?? (await deps.db.withTenant(deps.tenantId, (tx) => hasChunks(tx, deps.tenantId, deps.embedder.model)));
  if (!has) return [];
  const { iterativeScan } = await vectorCapabilities(deps.db);
  const [vector] = await deps.embedder.embed([query], 'query');
  return deps.db.withTenant(deps.tenantId, (tx) => searchChunks(tx, deps.tenantId, vector!, deps.embedder.model, k, { iterativeScan }));
}

export interface TurnRecall {
  knowledge: KbHit[];
  memory: MemoryItem[];
}

/**
 * What the agent sees before answering `text`: top knowledge chunks and customer memory. The
 * memory read and the knowledge-presence check share one transaction; a tenant without
 * knowledge gets no embedding and no vector search.
 */
export async function recallForTurn(
  deps: RetrievalDeps,
  who: { customerId: string; conversationId: string },
  text: string,
  k = 4,
): Promise<TurnRecall> {
  let has = false;
  const memory = await deps.db.withTenant(deps.tenantId, async (tx) => {
    has = await hasChunks(tx, deps.tenantId, deps.embedder.model);
    return recallCustomer(tx, { customerId: who.customerId, conversationId: who.conversationId, k: 5 });
  });
  let knowledge: KbHit[] = [];
  try {
    knowledge = has && text.trim().length > 1 ? await searchKnowledge(deps, text, k, has) : [];
  } catch (err) {
    deps.log?.warn({ err, tenantId: deps.tenantId }, 'knowledge retrieval failed; answering without it');
  }
  return { knowledge, memory };
}
