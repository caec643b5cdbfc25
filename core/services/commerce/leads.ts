/**
 * Leads: one open lead per customer (stage new → contacted → qualified → negotiating → won/lost),
 * score 0–100, value in KES cents, and an optional follow-up at `follow_up_at`.
 *
 * The follow-up is a delayed `lead_followup` job (jobId per lead + due time) that calls
 * `runLeadFollowUp`: it sends only if the lead is still open and still due at that time, so a
 * lead that moved on to won/lost (or was rescheduled) is never followed up by a stale job.
 */
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { conversations, customers, leads, messages, tenants, type LeadStage, LEAD_STAGES } from '../../db/schema/index.ts';

export type LeadRow = typeof leads.$inferSelect;

export interface LeadInput {
  stage?: LeadStage;
  score?: number;
  valueCents?: number;
  interest?: string;
  notes?: string;
  followUpAt?: Date | null;
  followUpMessage?: string;
}

const CLOSED: LeadStage[] = ['won', 'lost'];
const rank = (s: LeadStage) => LEAD_STAGES.indexOf(s);

/**
 * Create or update the customer's open lead. The agent may only move a lead forward
 * (`forwardOnly`); staff may set any stage. @returns the row and whether a follow-up must be scheduled.
 */
export async function upsertLead(
  tx: Tx,
  who: { tenantId: string; customerId: string; conversationId?: string },
  input: LeadInput,
  opts: { forwardOnly?: boolean } = {},
): Promise<{ lead: LeadRow; created: boolean; ignoredStage?: LeadStage }> {
  const [open] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.customerId, who.customerId), notInArray(leads.stage, CLOSED)))
    .for('update');
  let stage = input.stage;
  let ignoredStage: LeadStage | undefined;
  if (open && stage && opts.forwardOnly && stage !== 'lost' && rank(stage) < rank(open.stage)) {
    ignoredStage = stage;
    stage = undefined;
  }
  const values = {
    ...(stage ? { stage } : {}),
    ...(input.score !== undefined ? { score: Math.max(0, Math.min(100, Math.round(input.score))) } : {}),
    ...(input.valueCents !== undefined ? { valueCents: Math.max(0, Math.round(input.valueCents)) } : {}),
    ...(input.interest !== undefined ? { interest: input.interest } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.followUpAt !== undefined ? { followUpAt: input.followUpAt, followedUpAt: null } : {}),
    ...(input.followUpMessage !== undefined ? { followUpMessage: input.followUpMessage } : {}),
  };
  if (open) {
    const [lead] = await tx.update(leads).set({ ...values, updatedAt: sql`now()` }).where(eq(leads.id, open.id)).returning();
    return { lead: lead!, created: false, ignoredStage };
  }
  const [lead] = await tx
    .insert(leads)
    .values({ tenantId: who.tenantId, customerId: who.customerId, conversationId: who.conversationId ?? null, ...values })
    .returning();
  return { lead: lead!, created: true, ignoredStage };
}

/** Staff update of any lead by id. @returns undefined when it does not exist in this tenant. */
export async function updateLead(tx: Tx, id: string, input: LeadInput): Promise<LeadRow | undefined> {
  const [lead] = await tx
    .update(leads)
    .set({
      ...input,
      ...(input.followUpAt !== undefined ? { followedUpAt: null } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(leads.id, id))
    .returning();
  return lead;
}

export async function listLeads(tx: Tx, f: { stage?: LeadStage } = {}): Promise<LeadRow[]> {
  const q = tx.select().from(leads);
  return (f.stage ? q.where(eq(leads.stage, f.stage)) : q).orderBy(desc(leads.updatedAt)).limit(500);
}

/** BullMQ job id for a lead's follow-up due at `at` (no ':' — BullMQ reserves it). */
export const followUpJobId = (leadId: string, at: Date) => `lead-followup-${leadId}-${at.getTime()}`;

const DEFAULT_TEXT: Record<string, (name: string, interest: string) => string> = {
  en: (n, i) => `Hello again from ${n}! Just following up${i ? ` on ${i}` : ''}. Any questions? Reply here and we will help.`,
  sw: (n, i) => `Habari tena kutoka ${n}! Tunafuatilia${i ? ` kuhusu ${i}` : ''}. Una swali lolote? Jibu hapa tukusaidie.`,
  sheng: (n, i) => `Niaje tena from ${n}! Tunacheki tu${i ? ` kuhusu ${i}` : ''}. Uko na swali? Reply hapa.`,
};

/**
 * Send the follow-up due at `dueAt` (ISO) if the lead is still open and still due then: stores an
 * outbound AI message on the lead's conversation (or the customer's latest) and marks the lead.
 * @returns the outbound message id to enqueue, or undefined when nothing is to be sent.
 */
export async function runLeadFollowUp(db: Database, job: { tenantId: string; leadId: string; dueAt: string }): Promise<string | undefined> {
  return db.withTenant(job.tenantId, async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, job.leadId)).for('update');
    if (!lead || CLOSED.includes(lead.stage) || lead.followedUpAt || !lead.followUpAt) return undefined;
    if (lead.followUpAt.getTime() !== new Date(job.dueAt).getTime()) return undefined; // rescheduled
    const [conv] = await tx
      .select({ id: conversations.id, channelId: conversations.channelId, ownerVersion: conversations.ownerVersion })
      .from(conversations)
      .where(eq(conversations.customerId, lead.customerId))
      .orderBy(sql`${conversations.id} = ${lead.conversationId ?? '00000000-0000-0000-0000-000000000000'} desc`, desc(conversations.lastMessageAt))
      .limit(1);
    if (!conv) return undefined;
    const [{ name, lang }] = (await tx
      .select({ name: tenants.name, lang: customers.languagePreference })
      .from(customers)
      .innerJoin(tenants, eq(tenants.id, customers.tenantId))
      .where(eq(customers.id, lead.customerId))) as [{ name: string; lang: string }];
    const text = lead.followUpMessage || (DEFAULT_TEXT[lang] ?? DEFAULT_TEXT.en!)(name, lead.interest ?? '');
    const [msg] = await tx
      .insert(messages)
      .values({
        tenantId: job.tenantId,
        conversationId: conv.id,
        channelId: conv.channelId,
        direction: 'outbound',
        sender: 'ai',
        text,
        status: 'queued',
        provider: 'system',
        model: 'lead-followup',
        ownerVersion: conv.ownerVersion,
      })
      .returning({ id: messages.id });
    await tx.update(leads).set({ followedUpAt: sql`now()`, stage: lead.stage === 'new' ? 'contacted' : lead.stage }).where(eq(leads.id, lead.id));
    return msg!.id;
  });
}
