/**
 * What the answer guard checks a turn against, read once per turn: the tenant's priced items
 * (active price rules with their effective floor, KES cents) and every amount the tenant
 * publishes (rules' list prices and figures in the profile's free-text price list), plus the
 * per-turn side-effect cap from tenant settings (`maxSideEffectsPerTurn`, default 3, 1–20).
 */
import type { Tx } from '../../core/db/client.ts';
import { effectiveFloor, listRules } from '../../core/services/commerce/pricing.ts';
import { extractAmounts } from './amounts.ts';
import type { PriceFacts } from './price-check.ts';

export async function loadPriceFacts(tx: Tx, profilePrices: unknown): Promise<PriceFacts> {
  const rules = (await listRules(tx)).filter((r) => r.active);
  const items = rules.map((r) => ({ product: r.product, listCents: Number(r.listCents), floorCents: effectiveFloor(r) }));
  const published = typeof profilePrices === 'string' ? extractAmounts(profilePrices).map((a) => a.cents) : [];
  return { items, listCents: [...items.map((i) => i.listCents), ...published] };
}

/** Side-effecting tool calls allowed per inbound turn (tenant setting, default 3). */
export function maxSideEffects(settings: Record<string, unknown> | null | undefined): number {
  const v = settings?.maxSideEffectsPerTurn;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 20 ? v : 3;
}
