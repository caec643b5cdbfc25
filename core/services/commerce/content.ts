/**
 * Content library: staff ask for marketing copy (Google Business post, social post, WhatsApp/SMS
 * broadcast) for a goal and tone; the `content_generate` job writes variants as drafts with the
 * model used; staff move them draft → approved → published (forward only).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { contentItems, contentRequests, type ContentKind } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';

export type ContentRequestRow = typeof contentRequests.$inferSelect;
export type ContentItemRow = typeof contentItems.$inferSelect;
export type ContentStatus = ContentItemRow['status'];

export class ContentStateError extends AppError {
  constructor(message: string) {
    super('invalid_transition', message);
  }
}

export async function createContentRequest(
  tx: Tx,
  tenantId: string,
  input: { kind: ContentKind; goal: string; tone: string; language?: 'en' | 'sw' | 'sheng'; variants?: number; requestedBy?: string },
): Promise<ContentRequestRow> {
  const [row] = await tx.insert(contentRequests).values({ tenantId, ...input }).returning();
  return row!;
}

export async function getContentRequest(tx: Tx, id: string): Promise<ContentRequestRow | undefined> {
  const [row] = await tx.select().from(contentRequests).where(eq(contentRequests.id, id));
  return row;
}

/** Store generated variants (idempotent per request+variant) and mark the request done. */
export async function storeVariants(tx: Tx, req: ContentRequestRow, bodies: string[], provider: string, model: string): Promise<void> {
  if (bodies.length)
    await tx
      .insert(contentItems)
      .values(bodies.map((body, i) => ({ tenantId: req.tenantId, requestId: req.id, kind: req.kind, variant: i + 1, body, provider, model })))
      .onConflictDoNothing();
  await tx.update(contentRequests).set({ status: 'done', error: null }).where(eq(contentRequests.id, req.id));
}

export async function markContentFailed(tx: Tx, id: string, error: string): Promise<void> {
  await tx.update(contentRequests).set({ status: 'failed', error: error.slice(0, 500) }).where(eq(contentRequests.id, id));
}

export async function listContentItems(tx: Tx, f: { requestId?: string; status?: ContentStatus } = {}): Promise<ContentItemRow[]> {
  const conds = [f.requestId ? eq(contentItems.requestId, f.requestId) : undefined, f.status ? eq(contentItems.status, f.status) : undefined].filter(
    Boolean,
  );
  return tx
    .select()
    .from(contentItems)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(contentItems.createdAt), asc(contentItems.variant))
    .limit(500);
}

const NEXT: Record<ContentStatus, ContentStatus | undefined> = { draft: 'approved', approved: 'published', published: undefined };

/**
 * Move an item one step forward (draft → approved → published).
 * @returns undefined when the item does not exist in this tenant. @throws ContentStateError otherwise-invalid moves.
 */
export async function setContentStatus(tx: Tx, id: string, status: 'approved' | 'published'): Promise<ContentItemRow | undefined> {
  const [cur] = await tx.select().from(contentItems).where(eq(contentItems.id, id)).for('update');
  if (!cur) return undefined;
  if (cur.status === status) return cur;
  if (NEXT[cur.status] !== status) throw new ContentStateError(`cannot move content from ${cur.status} to ${status}`);
  const [row] = await tx
    .update(contentItems)
    .set(status === 'approved' ? { status, approvedAt: sql`now()` } : { status, publishedAt: sql`now()` })
    .where(eq(contentItems.id, id))
    .returning();
  return row;
}
