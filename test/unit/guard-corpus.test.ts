/**
 * The answer guard's detectors over the labelled corpus (test/unit/fixtures/guard-corpus.ts):
 * every violating reply is caught with the expected kind in a turn where no tool did anything,
 * and no honest reply is flagged (false-positive rate 0, reported in the README).
 */
import { describe, expect, it } from 'vitest';
import { checkReply } from '../../agents/guard/check-reply.ts';
import { HONEST, PRICES, VIOLATING } from './fixtures/guard-corpus.ts';

const none = { records: [], prices: PRICES, platformLines: [] };

describe('answer guard corpus', () => {
  it('has at least 40 labelled violating and 40 honest replies across en, sw and sheng', () => {
    expect(VIOLATING.length).toBeGreaterThanOrEqual(40);
    expect(HONEST.length).toBeGreaterThanOrEqual(40);
    for (const lang of ['en', 'sw', 'sheng']) {
      expect(VIOLATING.some((v) => v.lang === lang)).toBe(true);
      expect(HONEST.some((v) => v.lang === lang)).toBe(true);
    }
  });

  it.each(VIOLATING)('catches [$lang] $text', ({ text, expect: want }) => {
    const kinds = checkReply(text, none).map((v) => v.claim ?? v.kind);
    expect(kinds).toContain(want);
  });

  it('flags none of the honest replies (false-positive rate 0)', () => {
    const flagged = HONEST.filter((h) => checkReply(h.text, none).length > 0).map((h) => [h.text, checkReply(h.text, none)]);
    expect(flagged).toEqual([]);
  });
});
