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

/** Top-k knowledge chunks for `query` in this tenant ([] when it has none). */
export async function searchKnowledge(deps: RetrievalDeps, query: string, k = 5): Promise<KbHit[]> {
  const { iterativeScan } = await vectorCapabilities(deps.db);
  if (!(await deps.db.withTenant(deps.tenantId, (tx) => hasChunks(tx, deps.tenantId, deps.embedder.model)))) return [];
  const [vector] = await deps.embedder.embed([query], 'query');
  return deps.db.withTenant(deps.tenantId, (tx) => searchChunks(tx, deps.tenantId, vector!, deps.embedder.model, k, { iterativeScan }));
}

export interface TurnRecall {
  knowledge: KbHit[];
  memory: MemoryItem[];
}

/** What the agent sees before answering `text`: top knowledge chunks and customer memory. */
export async function recallForTurn(
  deps: RetrievalDeps,
  who: { customerId: string; conversationId: string },
  text: string,
  k = 4,
): Promise<TurnRecall> {
  let knowledge: KbHit[] = [];
  try {
    knowledge = text.trim().length > 1 ? await searchKnowledge(deps, text, k) : [];
  } catch (err) {
    deps.log?.warn({ err, tenantId: deps.tenantId }, 'knowledge retrieval failed; answering without it');
  }
  const memory = await deps.db.withTenant(deps.tenantId, (tx) => recallCustomer(tx, { customerId: who.customerId, conversationId: who.conversationId, k: 5 }));
  return { knowledge, memory };
}
