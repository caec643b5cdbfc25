/**
 * Per-customer memory: facts the tools learned (bookings, interests, budgets) and one rolling
 * summary per conversation of the messages that fell out of the agent's history window.
 *
 * Summaries are extractive (the older turns, shortened), not model-written: a turn then costs
 * only the model calls it needs, and a summary can never invent anything. Vectors (768-d) are
 * optional and supplied by the caller; retrieval ranks by cosine distance when present.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { customerMemories } from '../../db/schema/index.ts';
import { toVectorLiteral } from '../commerce/knowledge.ts';

const SUMMARY_CHARS = 1500;
const LINE_CHARS = 160;

export async function addFact(
  tx: Tx,
  input: { tenantId: string; customerId: string; conversationId?: string; content: string; embedding?: number[]; model?: string },
): Promise<void> {
  await tx.insert(customerMemories).values({
    tenantId: input.tenantId,
    customerId: input.customerId,
    conversationId: input.conversationId ?? null,
    kind: 'fact',
    content: input.content.slice(0, 500),
    embedding: input.embedding ?? null,
    embeddingModel: input.embedding ? (input.model ?? null) : null,
  });
}

/**
 * Fold the conversation's messages created before `before` and not yet covered into its
 * summary. @returns the summary text ('' when there is none).
 */
export async function rollSummary(
  tx: Tx,
  input: { tenantId: string; customerId: string; conversationId: string; before: Date },
): Promise<string> {
  const [cur] = await tx
    .select()
    .from(customerMemories)
    .where(and(eq(customerMemories.conversationId, input.conversationId), eq(customerMemories.kind, 'summary')));
  const since = cur?.coveredUntil ?? new Date(0);
  const r = await tx.execute(sql`
    select direction, sender, text, created_at from messages
    where conversation_id = ${input.conversationId} and created_at > ${since.toISOString()}::timestamptz
      and created_at < ${input.before.toISOString()}::timestamptz and status <> 'canceled'
    order by created_at limit 200`);
  const rows = r.rows as Array<{ direction: string; sender: string; text: string; created_at: string | Date }>;
  if (!rows.length) return cur?.content ?? '';
  const lines = rows.map((m) => {
    const who = m.direction === 'inbound' ? 'Customer' : m.sender === 'staff' ? 'Staff' : 'We';
    const t = m.text.replace(/\s+/g, ' ').trim();
    return `${who}: ${t.length > LINE_CHARS ? `${t.slice(0, LINE_CHARS - 1)}…` : t}`;
  });
  const text = [cur?.content, ...lines].filter(Boolean).join('\n').slice(-SUMMARY_CHARS);
  const coveredUntil = new Date(rows[rows.length - 1]!.created_at);
  if (cur)
    await tx.update(customerMemories).set({ content: text, coveredUntil, updatedAt: sql`now()` }).where(eq(customerMemories.id, cur.id));
  else
    await tx.insert(customerMemories).values({
      tenantId: input.tenantId,
      customerId: input.customerId,
      conversationId: input.conversationId,
      kind: 'summary',
      content: text,
      coveredUntil,
    });
  return text;
}

export interface MemoryItem {
  kind: 'fact' | 'summary';
  content: string;
  conversationId: string | null;
}

/**
 * What the agent should remember about this customer: the nearest facts to the query vector
 * (or the latest ones without a vector) and the latest summaries of their other conversations.
 */
export async function recallCustomer(
  tx: Tx,
  input: { customerId: string; conversationId: string; vector?: number[]; model?: string; k?: number },
): Promise<MemoryItem[]> {
  const k = input.k ?? 5;
  const facts = input.vector
    ? await tx.execute(sql`
        select kind, content, conversation_id from customer_memories
        where customer_id = ${input.customerId} and kind = 'fact'
        order by case when embedding_model = ${input.model ?? ''} then embedding <=> ${toVectorLiteral(input.vector)}::vector else 2 end, created_at desc
        limit ${k}`)
    : await tx.execute(sql`
        select kind, content, conversation_id from customer_memories
        where customer_id = ${input.customerId} and kind = 'fact' order by created_at desc limit ${k}`);
  const past = await tx
    .select({ kind: customerMemories.kind, content: customerMemories.content, conversationId: customerMemories.conversationId })
    .from(customerMemories)
    .where(
      and(
        eq(customerMemories.customerId, input.customerId),
        eq(customerMemories.kind, 'summary'),
        sql`${customerMemories.conversationId} is distinct from ${input.conversationId}`,
      ),
    )
    .orderBy(desc(customerMemories.updatedAt))
    .limit(2);
  const f = (facts.rows as Array<{ kind: 'fact'; content: string; conversation_id: string | null }>).map((r) => ({
    kind: r.kind,
    content: r.content,
    conversationId: r.conversation_id,
  }));
  return [...f, ...past];
}
