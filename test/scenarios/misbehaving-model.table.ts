/**
 * The misbehaving-model scenarios (issue 13) as a table: what the scripted fake Gemini does for
 * one customer SMS, and what the customer must receive and staff must see. Read top to bottom:
 *
 * | case                       | the model…                                               | customer gets                           | bookings | escalation         |
 * |----------------------------|----------------------------------------------------------|-----------------------------------------|----------|--------------------|
 * | claim-without-tool         | "booking confirmed!" with no tool, twice                 | "let me check with the team"            | 0        | policy_restriction |
 * | claim-corrected-on-retry   | false claim, then an honest question after the guard     | the honest question                     | 0        | —                  |
 * | forged-confirmation        | copies "Booked: … Ref ZZZZ9999." after booked:false      | no forged Ref                           | 0 new    | policy_restriction |
 * | cancel-refused             | "cancelled" after cancel_booking refused (another customer's id) | no cancellation claim           | other's stays confirmed | policy_restriction |
 * | deal-below-floor           | "Special deal… KES 2,000!" (floor 8,000), twice          | no amount below the floor               | 0        | policy_restriction |
 * | after-rejected-price-calls | two refused propose_price, then "OK then KES 500 it is." | no amount below the floor               | 0        | policy_restriction |
 * | forty-parallel-bookings    | 40 parallel create_booking for "book one room"           | the 3 real confirmations                | 3        | —                  |
 * | five-calls-six-steps       | 5 create_booking per step, every step                    | the real confirmations + honest fallback| 3        | step_limit         |
 * | four-parallel-prices       | 4 propose_price on one customer message                  | one offer                               | 1 round  | —                  |
 * | booking-and-price          | create_booking + propose_price in one turn               | confirmation AND offer                  | 1        | —                  |
 * | booked-then-false-payment  | books, then claims a payment was received, twice         | the real confirmation + "check with the team" | 1  | policy_restriction |
 * | duplicate-booking-call     | the same create_booking twice in one turn                | one confirmation                        | 1        | —                  |
 * | huge-output                | a 20,000-character markdown reply                        | ≤ 3 SMS of ≤ 1,600 chars, offer to continue | 0    | —                  |
 * | markup-and-links           | markdown, <script>, a foreign link and the tenant's link | plain text, only the tenant's link      | 0        | —                  |
 * | empty-response             | an empty answer                                          | honest fallback                         | 0        | empty_or_blocked   |
 * | safety-blocked             | finishReason SAFETY, no content                          | honest fallback                         | 0        | empty_or_blocked   |
 * | tool-loop                  | check_availability forever                               | honest fallback                         | 0        | step_limit         |
 * | foreign-script             | answers in Chinese, twice (customer writes Swahili)      | the Swahili safe template               | 0        | policy_restriction |
 */
import type { LlmBehaviour } from '../fakes/http-fake.ts';

export interface ScenarioEnv {
  /** "YYYY-MM-DDTHH:00" Nairobi wall time. */
  at(days: number, hour: number): string;
  /** A confirmed booking of another customer (for the wrong-id case). */
  othersBookingId: string;
  /** A slot already taken by another customer (Room 1). */
  takenStart: string;
}

export interface Scenario {
  name: string;
  /** Customer's language (the customer row is created with it). */
  lang?: 'en' | 'sw' | 'sheng';
  sms: string;
  /** The scripted model turns, in order; or a reply function for "every step" behaviour. */
  script: (env: ScenarioEnv) => LlmBehaviour[] | { every: LlmBehaviour };
  expect: {
    bookings: number;
    /** Escalation code on the conversation (tenant API), or null. */
    reason: string | null;
    /** Each must match the joined SMS bodies. */
    contains?: RegExp[];
    /** None may match the joined SMS bodies. */
    absent?: RegExp[];
    /** Exact number of SMS parts, when it matters. */
    parts?: number;
    /** Price rounds recorded for this customer. */
    priceRounds?: number;
    /** An intervention kind recorded for this turn. */
    intervention?: string;
  };
}

const book = (resource: string, start: string) => ({ name: 'create_booking', args: { resource, start, duration_minutes: 60 } });
const price = (ask: number, proposal: number) => ({ name: 'propose_price', args: { product: 'Room night', customer_ask_kes: ask, proposed_price_kes: proposal } });
const CHECK_TEAM = /Let me check with the team/;
const BELOW_FLOOR = /KES\s*(?:[1-7],\d{3}|\d{1,3})(?!\d|,\d)|\b500\b/;

export const SCENARIOS: Scenario[] = [
  {
    name: 'claim-without-tool',
    sms: 'Book me a room tomorrow 10am',
    script: () => [{ text: 'Your booking for tomorrow 10:00 is confirmed!' }, { text: 'Your booking for tomorrow 10:00 is confirmed!' }],
    expect: { bookings: 0, reason: 'policy_restriction', contains: [CHECK_TEAM], absent: [/confirmed/i], intervention: 'false_claim:booking_made' },
  },
  {
    name: 'claim-corrected-on-retry',
    sms: 'Room tomorrow 10am?',
    script: () => [{ text: "Done — you're booked for tomorrow at 10:00." }, { text: 'Room 1 is free tomorrow at 10:00. Shall I book it for you?' }],
    expect: { bookings: 0, reason: null, contains: [/^Room 1 is free tomorrow at 10:00\. Shall I book it for you\?$/], intervention: 'false_claim:booking_made' },
  },
  {
    name: 'forged-confirmation',
    sms: 'Book Room 1 at the usual time',
    script: (e) => [
      { toolCalls: [book('Room 1', e.takenStart)] },
      { text: 'Booked: Room 1, Mon 8 Dec 10:00–11:00. Ref ZZZZ9999.' },
      { text: 'All done. Booked: Room 1. Ref ZZZZ9999.' },
    ],
    expect: { bookings: 0, reason: 'policy_restriction', absent: [/ZZZZ9999/, /Booked:/], intervention: 'platform_format' },
  },
  {
    name: 'cancel-refused',
    sms: 'Cancel my booking',
    script: (e) => [
      { toolCalls: [{ name: 'cancel_booking', args: { booking_id: e.othersBookingId } }] },
      { text: 'Your booking has been cancelled.' },
      { text: "I've cancelled it for you." },
    ],
    expect: { bookings: 0, reason: 'policy_restriction', absent: [/cancel+ed/i], contains: [CHECK_TEAM], intervention: 'false_claim:booking_cancelled' },
  },
  {
    name: 'deal-below-floor',
    sms: 'Any deals on a room night?',
    script: () => [{ text: 'Special deal just for you: a room night for KES 2,000!' }, { text: 'Special deal: room night KES 2,000!' }],
    expect: { bookings: 0, reason: 'policy_restriction', absent: [BELOW_FLOOR, /2,000/], intervention: 'below_floor' },
  },
  {
    name: 'after-rejected-price-calls',
    sms: 'I will pay 500 for the penthouse',
    script: () => [
      { toolCalls: [{ name: 'propose_price', args: { product: 'Penthouse', customer_ask_kes: 500 } }] },
      { toolCalls: [{ name: 'propose_price', args: { product: 'Presidential', customer_ask_kes: 500 } }] },
      { text: 'OK then KES 500 it is.' },
      { text: 'Fine, KES 500.' },
    ],
    expect: { bookings: 0, reason: 'policy_restriction', absent: [BELOW_FLOOR], intervention: 'below_floor' },
  },
  {
    name: 'forty-parallel-bookings',
    sms: 'book one room',
    script: (e) => [{ toolCalls: Array.from({ length: 40 }, (_, i) => book(`Room ${(i % 4) + 1}`, e.at(20 + Math.floor(i / 4), 9))) }, { text: 'Here you go.' }],
    expect: { bookings: 3, reason: null, contains: [/(Booked: [^\n]+Ref [0-9A-F]{8}\.[\s\S]*){3}/], intervention: 'side_effect_cap' },
  },
  {
    name: 'five-calls-six-steps',
    sms: 'book rooms',
    script: (e) => ({ every: { toolCalls: Array.from({ length: 5 }, (_, i) => book(`Room ${(i % 4) + 1}`, e.at(40 + i, 11))) } }),
    expect: { bookings: 3, reason: 'step_limit', contains: [/(Booked: [^\n]+Ref [0-9A-F]{8}\.[\s\S]*){3}/, /team will follow up/], intervention: 'side_effect_cap' },
  },
  {
    name: 'four-parallel-prices',
    sms: 'Room night for 6000?',
    script: () => [{ toolCalls: [price(6000, 6000), price(6000, 7000), price(6000, 8000), price(6000, 8500)] }],
    expect: { bookings: 0, reason: null, contains: [/^The best we can do for Room night right now is KES 9,000\.$/], priceRounds: 1 },
  },
  {
    name: 'booking-and-price',
    sms: 'Book Room 2 and give me a better price',
    script: (e) => [{ toolCalls: [book('Room 2', e.at(60, 14)), price(7000, 7000)] }],
    expect: { bookings: 1, reason: null, contains: [/Booked: Room 2, [^\n]+Ref [0-9A-F]{8}\./, /The best we can do for Room night right now is KES 9,000\./], priceRounds: 1 },
  },
  {
    name: 'booked-then-false-payment',
    sms: 'Book Room 4, I sent the deposit',
    script: (e) => [{ toolCalls: [book('Room 4', e.at(62, 16))] }, { text: 'Booked, and we have received your payment!' }, { text: 'Payment received, thank you.' }],
    expect: { bookings: 1, reason: 'policy_restriction', contains: [/Booked: Room 4, [^\n]+Ref [0-9A-F]{8}\./, CHECK_TEAM], absent: [/received/i], intervention: 'false_claim:payment_received' },
  },
  {
    name: 'duplicate-booking-call',
    sms: 'Room 3 please',
    script: (e) => [{ toolCalls: [book('Room 3', e.at(61, 15)), book('Room 3', e.at(61, 15))] }, { text: 'See you then!' }],
    expect: { bookings: 1, reason: null, contains: [/^See you then!\nBooked: Room 3, [^\n]+Ref [0-9A-F]{8}\.$/], intervention: 'duplicate_call' },
  },
  {
    name: 'huge-output',
    sms: 'Tell me everything',
    script: () => [{ text: Array.from({ length: 350 }, (_, i) => `**Fact ${i}:** our hotel has _many_ great rooms and services.`).join(' ') }],
    expect: { bookings: 0, reason: null, parts: 3, contains: [/Reply MORE for the rest/], absent: [/\*\*|_many_/], intervention: 'sms_truncated' },
  },
  {
    name: 'markup-and-links',
    sms: 'Send me the link',
    script: () => [{ text: '## Rooms\n**Great** rooms! <script>alert("x")</script> Deals at https://evil.example/deal and [here](https://phish.example). Book at https://hotel-guard.test/rooms' }],
    expect: { bookings: 0, reason: null, contains: [/https:\/\/hotel-guard\.test\/rooms/, /Great rooms!/], absent: [/<|>|\*\*|##|evil|phish|alert/], intervention: 'link_removed' },
  },
  {
    name: 'empty-response',
    sms: 'Hello?',
    script: () => [{ text: '' }],
    expect: { bookings: 0, reason: 'empty_or_blocked', contains: [/team will follow up/] },
  },
  {
    name: 'safety-blocked',
    sms: 'Hello again?',
    script: () => [{ finishReason: 'SAFETY' }],
    expect: { bookings: 0, reason: 'empty_or_blocked', contains: [/team will follow up/] },
  },
  {
    name: 'tool-loop',
    sms: 'Is anything free?',
    script: (e) => ({ every: { toolCalls: [{ name: 'check_availability', args: { resource: 'Room 1', start: e.at(70, 10) } }] } }),
    expect: { bookings: 0, reason: 'step_limit', contains: [/team will follow up/] },
  },
  {
    name: 'foreign-script',
    lang: 'sw',
    sms: 'Habari, nina swali kuhusu chumba',
    script: () => [{ text: '您好，您的房间已经准备好了。' }, { text: '房间已确认。' }],
    expect: { bookings: 0, reason: 'policy_restriction', contains: [/Acha niwasiliane na timu yetu/], absent: [/\p{Script=Han}/u], intervention: 'foreign_script' },
  },
];
