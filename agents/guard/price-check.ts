/**
 * Money amounts against what is allowed to leave: an amount in a reply must be a list price (a
 * price rule's list price or a figure in the tenant's published price list), an amount a tool
 * returned this turn, or at least the effective floor of the item it refers to. The item is the
 * priced product named in the same sentence; an amount with no product named is held to the
 * lowest floor of all priced products (so nothing below any floor leaves unnoticed). Pure.
 */
import { extractAmounts } from './amounts.ts';
import { sentences } from './claims.ts';

export interface PricedItem {
  product: string;
  listCents: number;
  /** Effective floor (pricing.ts effectiveFloor), KES cents. */
  floorCents: number;
}

export interface PriceFacts {
  items: PricedItem[];
  /** Amounts published by the tenant (price rules' list prices, profile price list), KES cents. */
  listCents: number[];
}

export interface AmountViolation {
  raw: string;
  cents: number;
  floorCents: number;
  product?: string;
}

const words = (product: string) =>
  product
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w));

/** The priced item a sentence talks about: full name first, else a distinctive word of it. */
export function itemFor(sentence: string, items: readonly PricedItem[]): PricedItem | undefined {
  const s = sentence.toLowerCase();
  const full = items.find((i) => s.includes(i.product.toLowerCase()));
  if (full) return full;
  return items.find((i) => words(i.product).some((w) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(s)));
}

/** Amounts in `text` that may not leave. @param toolCents amounts tools returned this turn. */
export function checkAmounts(text: string, facts: PriceFacts, toolCents: readonly number[]): AmountViolation[] {
  if (!facts.items.length) return [];
  const known = new Set([...facts.listCents, ...toolCents]);
  const minFloor = Math.min(...facts.items.map((i) => i.floorCents));
  const out: AmountViolation[] = [];
  for (const s of sentences(text)) {
    const item = itemFor(s, facts.items);
    for (const a of extractAmounts(s)) {
      if (known.has(a.cents)) continue;
      const floor = item ? item.floorCents : minFloor;
      if (a.cents < floor) out.push({ raw: a.raw, cents: a.cents, floorCents: floor, product: item?.product });
    }
  }
  return out;
}
