/**
 * Money amounts against what is allowed to leave: an amount in a reply must be a list price (a
 * price rule's list price or a figure in the tenant's published price list), an amount a tool
 * returned this turn, or at least the effective floor of the item it refers to. The item is the
 * priced product named in the same sentence; an amount with no product named is held to the
 * lowest floor of all priced products (so nothing below any floor leaves unnoticed). Pure.
 */
import { extractAmounts } from './amounts.ts';

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

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Word matchers per product, compiled once per price list (the facts live for one turn).
const matchers = new WeakMap<readonly PricedItem[], Array<{ item: PricedItem; name: string; word: RegExp | null }>>();

/** The priced item a sentence talks about: full name first, else a distinctive word of it. */
export function itemFor(sentence: string, items: readonly PricedItem[]): PricedItem | undefined {
  let m = matchers.get(items);
  if (!m) {
    m = items.map((item) => {
      const ws = words(item.product);
      return { item, name: item.product.toLowerCase(), word: ws.length ? new RegExp(`\\b(?:${ws.map(escape).join('|')})`, 'u') : null };
    });
    matchers.set(items, m);
  }
  const s = sentence.toLowerCase();
  return (m.find((x) => s.includes(x.name)) ?? m.find((x) => x.word?.test(s)))?.item;
}

/** The sentence around offset `at` (same boundaries as claims.ts `sentences`: . ! ? then space, or a newline). */
function sentenceAt(text: string, at: number): string {
  const before = text.slice(0, at);
  const start = Math.max(before.search(/[^]*[.!?]\s/) === -1 ? 0 : before.match(/^[^]*[.!?]\s/)![0].length, before.lastIndexOf('\n') + 1);
  const rest = text.slice(at);
  const m = /[.!?](?=\s|$)|\n/.exec(rest);
  return text.slice(start, m ? at + m.index + 1 : text.length);
}

/** Amounts in `text` that may not leave. @param toolCents amounts tools returned this turn. */
export function checkAmounts(text: string, facts: PriceFacts, toolCents: readonly number[]): AmountViolation[] {
  if (!facts.items.length) return [];
  const known = new Set([...facts.listCents, ...toolCents]);
  const minFloor = Math.min(...facts.items.map((i) => i.floorCents));
  const out: AmountViolation[] = [];
  // Amounts are found once over the whole text; only the sentence around each one is read.
  for (const a of extractAmounts(text)) {
    if (known.has(a.cents)) continue;
    const item = itemFor(sentenceAt(text, a.index), facts.items);
    const floor = item ? item.floorCents : minFloor;
    if (a.cents < floor) out.push({ raw: a.raw, cents: a.cents, floorCents: floor, product: item?.product });
  }
  return out;
}
