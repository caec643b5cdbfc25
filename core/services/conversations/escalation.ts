/**
 * When the AI must step aside before answering: the customer asks for a person (English,
 * Swahili and Sheng phrasings), or the same failure repeats (the customer sends the same
 * message three times in a row). The escalation moves the conversation to `unassigned`, notifies staff
 * (core/services/conversations/ownership.ts `escalateTx`) and sends the customer an acknowledgement in the
 * language they used, so nobody waits in silence.
 *
 * Other triggers escalate from where they happen: the offline fallback (`ai_unavailable`,
 * agents/respond.ts) and the agent's `handoff_to_human` tool / negotiation floor (flagReason).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { EventBus } from '../../events.ts';
import type { JobQueue } from '../../queue.ts';
import { escalateTx, lockConversation, publishOwnership } from './ownership.ts';
import { insertOutbound } from './staff-messages.ts';

export type Lang = 'en' | 'sw' | 'sheng';

/** Phrasings of "let me talk to a person", per language (matched on lower-cased text). */
export const HUMAN_REQUEST_PATTERNS: Record<Lang, RegExp[]> = {
  en: [
    /\b(talk|speak|chat)\s+(to|with)\s+(a|an|the|some|your|real)?\s*(real\s+|live\s+|actual\s+)?(person|human|agent|someone|somebody|staff|representative|rep|manager|owner|operator)\b/,
    /\b(real|live|actual)\s+(person|human|agent)\b/,
    /\b(human|live)\s+(agent|support|being)\b/,
    /\bcustomer\s+(care|service|support)\b/,
    /\b(connect|transfer|put)\s+me\s+(to|through|with)\b/,
    /\b(not|stop)\s+(a|the|this)?\s*(bot|robot|machine)\b/,
    /\bare\s+you\s+a\s+(bot|robot)\b/,
    /\bi\s+(want|need)\s+(a|to\s+talk\s+to\s+a)?\s*(human|person)\b/,
  ],
  sw: [
    /\b(nataka|naomba|ningependa)\s+(ku)?(ongea|zungumza|wasiliana)\s+na\s+(mtu|binadamu|mhudumu|meneja|mwenye)/,
    /\b(ongea|zungumza)\s+na\s+(mtu|binadamu|mhudumu|meneja)\b/,
    /\bmtu\s+halisi\b/,
    /\bniunganishe\s+na\b/,
    /\b(nataka|naomba)\s+(mtu|mhudumu|binadamu)\b/,
    /\bwewe\s+ni\s+(roboti|mashine)\b/,
  ],
  sheng: [
    /\b(niongee|nibonge|nichat)\s+na\s+(mse|msee|mtu|mbogi|boss|manager)\b/,
    /\b(ku)?(bonga|ongea)\s+na\s+(mse|msee|mtu)\s+(wa\s+)?(ukweli|real|live)\b/,
    /\b(mse|msee|mtu)\s+(wa\s+)?(ukweli|real)\b/,
    /\bniconnect\s+na\b/,
    /\bsitaki\s+(hii\s+)?(bot|robot|roboti)\b/,
    /\bnataka\s+(mse|msee)\b/,
  ],
};

/** Acknowledgement sent to the customer when they asked for a person. */
export const HANDOFF_ACK: Record<Lang, string> = {
  en: "Sure — I'm connecting you with a member of our team. They will reply here shortly.",
  sw: 'Sawa — nakuunganisha na mmoja wa wafanyakazi wetu. Atakujibu hapa hivi punde.',
  sheng: 'Poa — nakuconnect na mse wa team yetu. Atakujibu hapa soon.',
};

/** The language of the first matching "talk to a person" phrasing, or undefined. */
export function detectHumanRequest(text: string): Lang | undefined {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  for (const lang of ['sheng', 'sw', 'en'] as const) if (HUMAN_REQUEST_PATTERNS[lang].some((re) => re.test(t))) return lang;
  return undefined;
}

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * Repeated failure in a conversation's recent messages (oldest first), counted since the last
 * staff or system message: the customer's last three messages are the same text (normalised:
 * case, punctuation, spacing) — the AI's answers did not help. (Identical AI replies alone are
 * not counted: canned answers legitimately repeat.)
 */
export function detectRepeatedFailure(all: Array<{ direction: string; sender: string; text: string }>): boolean {
  // A person (staff) or an escalation notice (system) since resets the count.
  const lastHuman = all.findLastIndex((m) => m.sender === 'staff' || m.sender === 'system');
  const last3 = all
    .slice(lastHuman + 1)
    .filter((m) => m.direction === 'inbound')
    .map((m) => norm(m.text))
    .slice(-3);
  return last3.length === 3 && !!last3[0] && last3.every((t) => t === last3[0]);
}

export interface EscalationDeps {
  db: Database;
  queue: JobQueue;
  bus: EventBus;
}

/**
 * Check the customer's unanswered messages in an AI-owned conversation before the AI answers.
 * On a trigger, one tenant transaction escalates (ownership.ts escalateTx: owner, audit), stores
 * the acknowledgement (sender 'system', `in_reply_to` = `inboundId`) and marks the unanswered
 * inbounds processed; after commit the acknowledgement is enqueued on `outbound` (jobId =
 * message id) and the events are published. If that enqueue fails, the retried `inbound` job
 * finds its message processed and answerInbound re-enqueues the stored, unsent acknowledgement
 * (findQueuedReply), so the customer is never left without it.
 * @param inboundId the message whose `inbound` job runs the check.
 * @returns the escalation reason when the conversation was escalated (the AI must not answer).
 */
export async function checkEscalation(deps: EscalationDeps, tenantId: string, conversationId: string, inboundId: string): Promise<string | undefined> {
  const hit = await deps.db.withTenant(tenantId, async (tx) => {
    // Lock order as in storeAiReply (inbound message, then conversation) so the two never deadlock.
    await tx.execute(sql`select id from messages
      where conversation_id = ${conversationId} and direction = 'inbound' and status = 'received' order by id for update`);
    const row = await lockConversation(tx, conversationId);
    if (row.owner !== 'ai') return undefined;
    const res = await tx.execute(sql`
      select direction, sender, text, status from messages
      where conversation_id = ${conversationId} and status <> 'canceled'
      order by created_at desc, id desc limit 12`);
    const recent = (res.rows as Array<{ direction: string; sender: string; text: string; status: string }>).reverse();
    const unanswered = recent.filter((m) => m.direction === 'inbound' && m.status === 'received');
    const lang = unanswered.map((m) => detectHumanRequest(m.text)).find(Boolean);
    const reason = lang ? 'customer_requested_human' : detectRepeatedFailure(recent) ? 'repeated_failure' : undefined;
    if (!reason) return undefined;
    const ownership = await escalateTx(tx, tenantId, row, reason);
    const ackId = await insertOutbound(tx, tenantId, conversationId, 'system', HANDOFF_ACK[lang ?? 'en'], ownership.ownerVersion, inboundId);
    await tx.execute(sql`update messages set status = 'processed'
      where conversation_id = ${conversationId} and direction = 'inbound' and status = 'received'`);
    return { reason, ownership, ackId };
  });
  if (!hit) return undefined;
  await deps.queue.enqueue('outbound', { tenantId, messageId: hit.ackId }, { jobId: hit.ackId });
  await publishOwnership(deps.bus, tenantId, hit.ownership);
  await deps.bus.publish(`tenant:${tenantId}`, { type: 'message', conversationId, messageId: hit.ackId, sender: 'system' });
  return hit.reason;
}
