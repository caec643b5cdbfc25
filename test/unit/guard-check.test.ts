/**
 * The answer guard's pieces on their own: amount extraction, claims against the turn record
 * (a claim a tool made true passes; one a refused call did not make true is caught), our
 * confirmation format only from the platform, foreign script, the turn gate's key.
 */
import { describe, expect, it } from 'vitest';
import { extractAmounts } from '../../agents/guard/amounts.ts';
import { checkReply } from '../../agents/guard/check-reply.ts';
import { detectClaims } from '../../agents/guard/claims.ts';
import { callKey, supportedClaims, type ToolRecord } from '../../agents/guard/turn-record.ts';
import { PRICES } from './fixtures/guard-corpus.ts';

const booked: ToolRecord = { name: 'create_booking', args: {}, ok: true, result: { ok: true, booked: true, booking_id: 'b1' } };
const notBooked: ToolRecord = { name: 'create_booking', args: {}, ok: true, result: { ok: true, booked: false, reason: 'taken' } };
const cancelRefused: ToolRecord = { name: 'cancel_booking', args: { booking_id: 'x' }, ok: false, result: { ok: false, error: 'No confirmed booking' } };
const offer: ToolRecord = { name: 'propose_price', args: {}, ok: true, result: { ok: true, decision: 'counter', offered_price: 'KES 900,000' } };

describe('amount extraction', () => {
  it.each([
    ['KES 8,500', 850_000],
    ['Ksh. 8500', 850_000],
    ['Kshs 1,250.50', 125_050],
    ['8 500/=', 850_000],
    ['900k', 90_000_000],
    ['2.5k bob', 250_000],
    ['500 bob', 50_000],
    ['shilingi elfu mbili', 200_000],
    ['elfu kumi na tano', 1_500_000],
    ['mia tano', 50_000],
    ['two thousand shillings', 200_000],
    ['KES 1.2m', 120_000_000],
  ])('%s → %i cents', (text, cents) => {
    expect(extractAmounts(`Price: ${text}.`).map((a) => a.cents)).toEqual([cents]);
  });

  it('ignores numbers without a money cue', () => {
    expect(extractAmounts('Room 2 for 3 people at 10:00 on 21/11, call 0712 345 678')).toEqual([]);
  });
});

describe('claims against the turn record', () => {
  it('a booking claim passes when create_booking booked this turn, and is caught when it answered booked:false', () => {
    const text = 'Your booking for tomorrow 10:00 is confirmed!';
    expect(checkReply(text, { records: [booked], prices: PRICES, platformLines: [] })).toEqual([]);
    expect(checkReply(text, { records: [notBooked], prices: PRICES, platformLines: [] }).map((v) => v.claim)).toEqual(['booking_made']);
  });

  it('"cancelled" after a refused cancel_booking is caught', () => {
    expect(supportedClaims([cancelRefused]).size).toBe(0);
    expect(checkReply('Your booking has been cancelled.', { records: [cancelRefused], prices: PRICES, platformLines: [] })[0]).toMatchObject({ kind: 'false_claim', claim: 'booking_cancelled' });
  });

  it('our confirmation format is removed when it is this turn\'s platform line, caught otherwise', () => {
    const line = 'Booked: Room 1, Fri 21 Nov 10:00–11:00. Ref ABCD1234.';
    expect(checkReply(`All set! ${line}`, { records: [booked], prices: PRICES, platformLines: [line] })).toEqual([]);
    const forged = checkReply('All set! Booked: Room 1, Fri 21 Nov 10:00–11:00. Ref ZZZZ9999.', { records: [notBooked], prices: PRICES, platformLines: [] });
    expect(forged.map((v) => v.kind)).toContain('platform_format');
  });

  it('an amount a tool returned this turn may be quoted even below the list price; one below floor may not', () => {
    expect(checkReply('The Vitz 2015 can be yours for KES 900,000.', { records: [offer], prices: PRICES, platformLines: [] })).toEqual([]);
    expect(checkReply('The Vitz 2015 can be yours for KES 700,000.', { records: [offer], prices: PRICES, platformLines: [] })[0]).toMatchObject({ kind: 'below_floor' });
  });

  it('without priced items amounts are not checked', () => {
    expect(checkReply('A room is KES 500.', { records: [], prices: { items: [], listCents: [] }, platformLines: [] })).toEqual([]);
  });

  it('catches a foreign script', () => {
    expect(checkReply('您的房间已经准备好了', { records: [], prices: PRICES, platformLines: [] }).map((v) => v.kind)).toEqual(['foreign_script']);
  });

  it('questions and hedged sentences are not claims', () => {
    expect(detectClaims('Is your booking confirmed? Once your booking is confirmed we will text you.')).toEqual([]);
  });
});

describe('call key', () => {
  it('is the same for the same call whatever the argument order or case', () => {
    expect(callKey('create_booking', { start: '2026-11-21T10:00', resource: 'Room 1' })).toBe(callKey('create_booking', { resource: 'room 1 ', start: '2026-11-21T10:00' }));
    expect(callKey('create_booking', { resource: 'Room 1' })).not.toBe(callKey('create_booking', { resource: 'Room 2' }));
  });
});

describe('escalation reason codes', () => {
  it('maps `code: detail` and the older reason texts onto the one list', async () => {
    const { reasonCode } = await import('../../core/services/conversations/escalation-reasons.ts');
    expect(reasonCode('policy_restriction: answer guard (booking_made)')).toBe('policy_restriction');
    expect(reasonCode('empty_or_blocked: the model returned no text')).toBe('empty_or_blocked');
    expect(reasonCode('customer_requested_human')).toBe('customer_request');
    expect(reasonCode('negotiation: Vitz 2015 ask below floor after 2 rounds')).toBe('negotiation_floor');
    expect(reasonCode('ai_unavailable')).toBe('ai_unavailable');
    expect(reasonCode('agent_step_limit')).toBe('step_limit');
    expect(reasonCode('handoff: wants an invoice')).toBe('unsupported_request');
    expect(reasonCode('missing_knowledge: no parking info')).toBe('missing_knowledge');
  });
});
