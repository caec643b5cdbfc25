/** `kb_embed` job: chunk + embed one knowledge-base document (agents/memory/kb-indexer.ts). */
import { indexDocument } from '../../agents/memory/kb-indexer.ts';
import type { Embedder } from '../../agents/memory/embedder.ts';
import type { Database } from '../../core/db/client.ts';
import type { EventBus } from '../../core/events.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const kbEmbedJob =
  (deps: { db: Database; embedder: Embedder; bus?: EventBus }): JobHandler<'kb_embed'> =>
  (payload, ctx) =>
    indexDocument(deps, payload, ctx);
