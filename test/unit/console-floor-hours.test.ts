/**
 * The negotiation floor is in force as soon as it is set (a rule without maxDiscountPct is bounded
 * by the floor, not silently by the list price), and opening-hours logic for the agent's prompt.
 */
import { describe, expect, it } from 'vitest';
import { decideOffer, effectiveFloor } from '../../core/services/commerce/pricing.ts';
import { openState, validateHours, HoursInputError, type BusinessHours } from '../../core/services/setup/business-hours.ts';

describe('price floor', () => {
  it('without a max discount the effective floor is the floor (the old 0 % default made it the list price)', () => {
    const rule = { listCents: 1_000_000, floorCents: 800_000, maxRounds: 3, stepCents: 100_000 };
    expect(effectiveFloor({ ...rule, maxDiscountPct: null })).toBe(800_000);
    expect(effectiveFloor({ ...rule, maxDiscountPct: 10 })).toBe(900_000);
    expect(effectiveFloor({ ...rule, maxDiscountPct: 50 })).toBe(800_000);
  });
  it('a customer haggling below the floor is conceded down to the floor and never below (random rules and asks)', () => {
    let seed = 42;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 500; n++) {
      const listCents = 10_000 + Math.floor(r() * 1_000_000);
      const floorCents = Math.max(1, Math.floor(listCents * (0.3 + r() * 0.7)));
      const rule = { listCents, floorCents, maxDiscountPct: r() < 0.5 ? null : Math.floor(r() * 80), maxRounds: 1 + Math.floor(r() * 6), stepCents: 1 + Math.floor(r() * listCents * 0.3) };
      const floor = effectiveFloor(rule);
      expect(floor).toBeGreaterThanOrEqual(floorCents);
      const offers: number[] = [];
      for (let round = 0; round < rule.maxRounds + 2; round++) {
        const ask = Math.floor(r() * floorCents);
        const d = decideOffer({ rule, previousOffers: offers, customerAskCents: ask, modelProposalCents: Math.floor(r() * ask) });
        if (d.offeredCents !== undefined) {
          expect(d.offeredCents, JSON.stringify({ rule, offers, ask })).toBeGreaterThanOrEqual(floorCents);
          expect(d.decision).not.toBe('accept');
          if (d.decision !== 'final' || round < rule.maxRounds) offers.push(d.offeredCents);
        }
      }
      // Enough rounds and steps reach the floor itself when there is no cap.
      if (rule.maxDiscountPct === null && (listCents - floorCents) / rule.stepCents < rule.maxRounds - 1) expect(Math.min(...offers)).toBe(floorCents);
    }
  });
});

describe('opening hours', () => {
  const hours: BusinessHours = { weekly: [{ day: 1, open: '08:00', close: '18:00', breaks: [{ start: '13:00', end: '14:00' }] }], holidays: [{ date: '2031-01-13', name: 'Holiday' }] };
  const nairobi = (iso: string) => new Date(`${iso}+03:00`);
  it('open, on a break, after hours, on a holiday', () => {
    expect(openState(hours, 'Africa/Nairobi', nairobi('2031-01-06T09:30'))).toEqual({ open: true, closesAt: '13:00' }); // Monday
    expect(openState(hours, 'Africa/Nairobi', nairobi('2031-01-06T13:30'))).toEqual({ open: false, nextOpening: { date: '2031-01-06', weekday: 'Monday', time: '14:00' } });
    // Monday 19:00 → next Monday is a holiday → the Monday after.
    expect(openState(hours, 'Africa/Nairobi', nairobi('2031-01-06T19:00'))).toEqual({ open: false, nextOpening: { date: '2031-01-20', weekday: 'Monday', time: '08:00' } });
    expect(openState({ weekly: [], holidays: [] }, 'Africa/Nairobi', new Date())).toEqual({ open: true });
  });
  it('evaluates wall clock in the timezone', () => {
    // 06:30 UTC is 09:30 in Nairobi (open) but 01:30 in New York (closed).
    const at = new Date('2031-01-06T06:30:00Z');
    expect(openState(hours, 'Africa/Nairobi', at).open).toBe(true);
    expect(openState(hours, 'America/New_York', at).open).toBe(false);
  });
  it('validation', () => {
    expect(() => validateHours(hours)).not.toThrow();
    expect(() => validateHours({ weekly: [{ day: 1, open: '10:00', close: '09:00', breaks: [] }], holidays: [] })).toThrow(HoursInputError);
    expect(() => validateHours({ weekly: [{ day: 1, open: '08:00', close: '18:00', breaks: [{ start: '07:00', end: '09:00' }] }], holidays: [] })).toThrow(/inside/);
  });
});
