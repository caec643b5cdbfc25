/**
 * The negotiation guard as a pure policy, over 5,000 random rules and negotiations (seeded, so
 * reproducible): whatever the model proposes or the customer asks, an offer is never below the
 * effective floor, concessions are at most one step per round, and after the last round only
 * "final" or "handoff" remain.
 */
import { describe, expect, it } from 'vitest';
import { decideOffer, effectiveFloor } from '../../core/services/commerce/pricing.ts';

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('price guard', () => {
  it('never offers below floor, concedes at most one step a round, and stops at max rounds', () => {
    const r = rng(42);
    for (let n = 0; n < 5000; n++) {
      const list = 1000 + Math.floor(r() * 1_000_000);
      const rule = {
        listCents: list,
        floorCents: Math.max(1, Math.floor(list * r())),
        maxDiscountPct: Math.floor(r() * 60),
        maxRounds: 1 + Math.floor(r() * 5),
        stepCents: 1 + Math.floor(r() * list * 0.2),
      };
      const floor = effectiveFloor(rule);
      const offers: number[] = [];
      for (let round = 1; round <= rule.maxRounds + 2; round++) {
        const wild = () => (r() < 0.2 ? -Math.floor(r() * list) : Math.floor(r() * list * 1.2));
        const d = decideOffer({ rule, previousOffers: offers, customerAskCents: r() < 0.8 ? wild() : undefined, modelProposalCents: r() < 0.8 ? wild() : undefined });
        if (d.offeredCents !== undefined) expect(d.offeredCents).toBeGreaterThanOrEqual(floor);
        if (d.decision === 'accept' || d.decision === 'handoff') break;
        const prev = offers.length ? offers[offers.length - 1]! : list;
        expect(prev - d.offeredCents!).toBeLessThanOrEqual(rule.stepCents);
        if (round > rule.maxRounds) expect(d.offeredCents).toBe(prev);
        offers.push(d.offeredCents!);
      }
    }
  });
});
