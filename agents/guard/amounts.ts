/**
 * Money amounts in a reply, as KES cents: "KES 8,500", "Ksh. 8500", "Sh 8 500", "8,500/=",
 * "8500 bob", "2k", "2.5k", "shillings 500", "elfu mbili" (2,000), "mia tano" (500), "two
 * thousand shillings". Bare numbers without a money cue ("Room 2", "10:00", "2 people") are
 * not amounts. Pure; no I/O.
 */

export interface Amount {
  /** KES cents. */
  cents: number;
  /** Offset of the amount in the text (chars). */
  index: number;
  /** The matched text. */
  raw: string;
}

const NUM = String.raw`\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?`;
const PREFIX = String.raw`(?:kes|kshs?|ksh\.|shs?\.?|shillings?|shilingi|sh\.)`;
const SUFFIX = String.raw`(?:\/=|\/-|bob|shillings?|shilingi|kes|kshs?|ksh)`;

const PREFIXED = new RegExp(String.raw`\b${PREFIX}\s*\.?\s*(${NUM})\s*(k|m|thousand|million)?\b`, 'gi');
const SUFFIXED = new RegExp(String.raw`(?<![\w.,])(${NUM})\s*(k|m|thousand|million)?\s*${SUFFIX}(?![a-z])`, 'gi');
const K_ONLY = /(?<![\w.,])(\d+(?:\.\d)?)\s?k\b(?!m|g)/gi;

const SW_DIGITS: Record<string, number> = { moja: 1, mbili: 2, tatu: 3, nne: 4, tano: 5, sita: 6, saba: 7, nane: 8, tisa: 9, kumi: 10, ishirini: 20, thelathini: 30, arobaini: 40, hamsini: 50, mia: 100 };
const EN_DIGITS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
};
const SW_WORD = Object.keys(SW_DIGITS).join('|');
const EN_WORD = Object.keys(EN_DIGITS).join('|');
// "elfu mbili", "elfu kumi na tano" (15,000), "mia tano" (500), optionally "shilingi elfu mbili".
const SW_WORDS = new RegExp(String.raw`\b(elfu|mia)\s+(${SW_WORD})(?:\s+na\s+(${SW_WORD}))?\b`, 'gi');
// "two thousand shillings", "5 thousand bob", "ten thousand kes".
const EN_WORDS = new RegExp(String.raw`\b(${EN_WORD}|\d+)\s+(thousand|hundred)\s*(?:and\s+\w+\s+)?${SUFFIX}(?![a-z])`, 'gi');

const mult = (unit: string | undefined) => {
  const u = (unit ?? '').toLowerCase();
  return u === 'k' || u === 'thousand' ? 1000 : u === 'm' || u === 'million' ? 1_000_000 : 1;
};
const parseNum = (s: string) => Number(s.replace(/[,\u00a0 ]/g, ''));

/** Every money amount in `text`, in order of appearance, de-duplicated by position. */
export function extractAmounts(text: string): Amount[] {
  const found = new Map<number, Amount>();
  const add = (index: number, raw: string, kes: number) => {
    if (!Number.isFinite(kes) || kes < 0) return;
    for (const a of found.values()) if (index >= a.index && index < a.index + a.raw.length) return;
    found.set(index, { index, raw, cents: Math.round(kes * 100) });
  };
  for (const m of text.matchAll(PREFIXED)) add(m.index!, m[0], parseNum(m[1]!) * mult(m[2]));
  for (const m of text.matchAll(SUFFIXED)) add(m.index!, m[0], parseNum(m[1]!) * mult(m[2]));
  for (const m of text.matchAll(K_ONLY)) add(m.index!, m[0], parseNum(m[1]!) * 1000);
  for (const m of text.matchAll(SW_WORDS)) {
    const unit = m[1]!.toLowerCase() === 'elfu' ? 1000 : 100;
    const a = SW_DIGITS[m[2]!.toLowerCase()]!;
    const b = m[3] ? SW_DIGITS[m[3].toLowerCase()]! : 0;
    add(m.index!, m[0], (a + b) * unit);
  }
  for (const m of text.matchAll(EN_WORDS)) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : EN_DIGITS[m[1]!.toLowerCase()]!;
    add(m.index!, m[0], n * (m[2]!.toLowerCase() === 'thousand' ? 1000 : 100));
  }
  return [...found.values()].sort((a, b) => a.index - b.index);
}
