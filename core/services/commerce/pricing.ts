/**
 * Price negotiation policy: the model proposes, this deterministic guard decides.
 *
 * Per product rule (KES cents): list price, floor, max discount %, max rounds, step. The
 * effective floor is max(floor, list × (1 − maxDiscount/100)). Each round the guard concedes at
 * most one `step` from its previous offer (starting at list), never below the effective floor,
 * never more than `maxRounds` offers. An ask at or above the current offer (or the next
 * concession) is accepted; after the last round an ask below the effective floor is handed off
 * to a human. Every decision is appended to `price_offers`, and the guard's text — not the
 * model's — is what the customer is told.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { priceOffers, priceRules, type OfferDecision } from '../../db/schema/index.ts';
import { isUuid } from '../../db/client.ts';
import { AppError } from '../../errors.ts';

export type PriceRuleRow = typeof priceRules.$inferSelect;

export class PriceRuleInputError extends AppError {
  constructor(message: string) {
    super('invalid_price_rule', message);
  }
}

export interface GuardInput {
  rule: Pick<PriceRuleRow, 'listCents' | 'floorCents' | 'maxDiscountPct' | 'maxRounds' | 'stepCents'>;
  /** Offers the guard already made in this negotiation, oldest first (cents). */
  previousOffers: number[];
  customerAskCents?: number;
  modelProposalCents?: number;
}

export interface GuardDecision {
  decision: OfferDecision;
  /** The price now on the table (cents); undefined on handoff. */
  offeredCents?: number;
  round: number;
  effectiveFloorCents: number;
}

export function effectiveFloor(rule: GuardInput['rule']): number {
  return Math.max(rule.floorCents, Math.ceil(rule.listCents * (1 - Number(rule.maxDiscountPct) / 100)));
}

/** The pure policy (no I/O). */
export function decideOffer(input: GuardInput): GuardDecision {
  const { rule, previousOffers } = input;
  const floor = effectiveFloor(rule);
  const prev = previousOffers.length ? previousOffers[previousOffers.length - 1]! : rule.listCents;
  const round = previousOffers.length + 1;
  const ask = input.customerAskCents;
  if (ask !== undefined && ask >= prev) return { decision: 'accept', offeredCents: prev, round, effectiveFloorCents: floor };
  if (round > rule.maxRounds) {
    if (ask !== undefined && ask < floor) return { decision: 'handoff', round, effectiveFloorCents: floor };
    return { decision: 'final', offeredCents: prev, round, effectiveFloorCents: floor };
  }
  // One step at most, and only if the model asked for a concession at all.
  const wants = input.modelProposalCents ?? (ask !== undefined ? ask : prev);
  let offer = wants < prev ? Math.max(prev - rule.stepCents, floor) : prev;
  if (ask !== undefined && ask >= offer && ask >= floor) return { decision: 'accept', offeredCents: ask, round, effectiveFloorCents: floor };
  offer = Math.max(offer, floor);
  return { decision: round === rule.maxRounds || offer === floor ? 'final' : 'counter', offeredCents: offer, round, effectiveFloorCents: floor };
}

/** "KES 8,500" (whole shillings drop the cents). */
export function formatKes(cents: number): string {
  const s = cents % 100 === 0 ? (cents / 100).toLocaleString('en-US') : (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
  return `KES ${s}`;
}

const TEXT: Record<OfferDecision, Record<string, (p: string, product: string) => string>> = {
  accept: {
    en: (p, x) => `Deal: ${x} for ${p}.`,
    sw: (p, x) => `Tumekubaliana: ${x} kwa ${p}.`,
    sheng: (p, x) => `Deal imeiva: ${x} kwa ${p}.`,
  },
  counter: {
    en: (p, x) => `The best we can do for ${x} right now is ${p}.`,
    sw: (p, x) => `Bei nzuri tunayoweza kwa ${x} sasa ni ${p}.`,
    sheng: (p, x) => `Bei poa zaidi ya ${x} saa hii ni ${p}.`,
  },
  final: {
    en: (p, x) => `Our final price for ${x} is ${p}.`,
    sw: (p, x) => `Bei yetu ya mwisho kwa ${x} ni ${p}.`,
    sheng: (p, x) => `Bei ya mwisho ya ${x} ni ${p}.`,
  },
  handoff: {
    en: (_p, x) => `I can't go lower on ${x} myself; a member of our team will get back to you about the price.`,
    sw: (_p, x) => `Siwezi kushusha bei ya ${x} zaidi; mmoja wa timu yetu atawasiliana nawe kuhusu bei.`,
    sheng: (_p, x) => `Siwezi shuka zaidi kwa ${x}; mtu wa team atakucheki kuhusu bei.`,
  },
};

/** What the customer is told for a decision, in their language (en fallback). */
export function decisionText(d: GuardDecision, product: string, lang: string): string {
  const t = TEXT[d.decision][lang] ?? TEXT[d.decision].en!;
  return t(d.offeredCents !== undefined ? formatKes(d.offeredCents) : '', product);
}

export async function findRule(tx: Tx, ref: string): Promise<PriceRuleRow | undefined> {
  const [row] = await tx
    .select()
    .from(priceRules)
    .where(and(eq(priceRules.active, true), isUuid(ref) ? eq(priceRules.id, ref) : sql`lower(${priceRules.product}) = lower(${ref})`));
  return row;
}

/**
 * Run the guard for one proposal in this conversation and log it (row lock on the rule keeps
 * concurrent turns from both using the same round).
 */
export async function negotiate(
  tx: Tx,
  who: { tenantId: string; customerId: string; conversationId: string },
  rule: PriceRuleRow,
  input: { customerAskCents?: number; modelProposalCents?: number; sourceMessageId?: string },
): Promise<GuardDecision> {
  await tx.execute(sql`select 1 from price_rules where id = ${rule.id} for update`);
  const prior = await tx
    .select({ offered: priceOffers.offeredCents, decision: priceOffers.decision, round: priceOffers.round, source: priceOffers.sourceMessageId })
    .from(priceOffers)
    .where(and(eq(priceOffers.ruleId, rule.id), eq(priceOffers.conversationId, who.conversationId)))
    .orderBy(asc(priceOffers.id));
  // Rounds count per customer message: another proposal answering the same inbound message
  // (parallel calls, a retried job) gets that message's decision again, and uses no new round.
  const same = input.sourceMessageId ? prior.find((p) => p.source === input.sourceMessageId) : undefined;
  if (same) return { decision: same.decision, offeredCents: same.offered ?? undefined, round: same.round, effectiveFloorCents: effectiveFloor(rule) };
  const previousOffers = prior.filter((p) => p.offered !== null && p.decision !== 'accept').map((p) => p.offered!);
  const d = decideOffer({ rule, previousOffers, ...input });
  await tx.insert(priceOffers).values({
    tenantId: who.tenantId,
    ruleId: rule.id,
    customerId: who.customerId,
    conversationId: who.conversationId,
    round: d.round,
    customerAskCents: input.customerAskCents ?? null,
    modelProposalCents: input.modelProposalCents ?? null,
    offeredCents: d.offeredCents ?? null,
    decision: d.decision,
    sourceMessageId: input.sourceMessageId ?? null,
  });
  return d;
}

export interface PriceRuleInput {
  product: string;
  listCents: number;
  floorCents: number;
  maxDiscountPct?: number;
  maxRounds?: number;
  stepCents: number;
  active?: boolean;
}

export type PriceOfferRow = typeof priceOffers.$inferSelect;

/** The negotiation log of the transaction's tenant, newest first (at most `limit`, default 500). */
export async function listOffers(tx: Tx, limit = 500): Promise<PriceOfferRow[]> {
  return tx.select().from(priceOffers).orderBy(desc(priceOffers.id)).limit(limit);
}

export async function listRules(tx: Tx): Promise<PriceRuleRow[]> {
  return tx.select().from(priceRules).orderBy(asc(priceRules.product));
}

/** Create or replace the rule for a product. @throws PriceRuleInputError when floor > list. */
export async function upsertRule(tx: Tx, tenantId: string, input: PriceRuleInput): Promise<PriceRuleRow> {
  if (input.floorCents > input.listCents) throw new PriceRuleInputError('floorCents must not exceed listCents');
  const [row] = await tx
    .insert(priceRules)
    .values({ tenantId, ...input })
    .onConflictDoUpdate({ target: [priceRules.tenantId, priceRules.product], set: { ...input } })
    .returning();
  return row!;
}
