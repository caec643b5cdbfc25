/**
 * The answer guard's verdict on one model reply, from the turn record and the tenant's prices:
 *  - `false_claim`: an action claim (claims.ts) no tool of this turn made true;
 *  - `below_floor`: a money amount below the floor of the item it refers to (price-check.ts);
 *  - `platform_format`: our own confirmation format ("Booked: … Ref XXXXXXXX.") written by the
 *    model — only the platform writes it (exact copies of this turn's platform lines are removed
 *    before the check, they are appended anyway);
 *  - `foreign_script`: letters outside the Latin script (the customer writes en/sw/sheng).
 * Pure and synchronous: the bench (bench/guard.ts) measures it per reply.
 */
import { detectClaims, type ClaimKind } from './claims.ts';
import { checkAmounts, type PriceFacts } from './price-check.ts';
import { supportedClaims, toolAmounts, type ToolRecord } from './turn-record.ts';

export type ViolationKind = 'false_claim' | 'below_floor' | 'platform_format' | 'foreign_script';

export interface Violation {
  kind: ViolationKind;
  claim?: ClaimKind;
  /** Short human-readable reason (fed back to the model on the corrective retry, shown to staff). */
  detail: string;
}

export interface GuardInput {
  records: readonly ToolRecord[];
  prices: PriceFacts;
  /** Lines the platform itself will send this turn (booking confirmations, price offers). */
  platformLines: readonly string[];
}

/** Our confirmation format: "Booked: <what>, <when>. Ref ABCD1234." / "Canceled: … Ref …". */
export const PLATFORM_FORMAT = /\b(?:booked|canceled|cancelled)\s*:[^\n]{0,200}?\bref\s*[#:]?\s*[a-z0-9]{6,}\b|\bref(?:erence)?\s*[#:]?\s*[A-Z]{2,}[0-9][A-Z0-9]{4,}\b/i;

// Letters of scripts our customers do not write in (Latin, digits, punctuation and emoji pass).
const FOREIGN = /[\p{Script=Han}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Hebrew}\p{Script=Greek}\p{Script=Ethiopic}]/u;

/** The model's text without exact copies of this turn's platform lines. */
export function withoutPlatformLines(text: string, lines: readonly string[]): string {
  let t = text;
  for (const l of lines) if (l) t = t.split(l).join(' ');
  return t.replace(/[ \t]{2,}/g, ' ').trim();
}

/** @returns the violations in `text` ([] = the reply may go out). */
export function checkReply(text: string, input: GuardInput): Violation[] {
  const t = withoutPlatformLines(text, input.platformLines);
  const out: Violation[] = [];
  const ok = supportedClaims(input.records);
  const seen = new Set<ClaimKind>();
  for (const c of detectClaims(t)) {
    if (ok.has(c.kind) || seen.has(c.kind)) continue;
    seen.add(c.kind);
    out.push({ kind: 'false_claim', claim: c.kind, detail: `claims ${c.kind.replace('_', ' ')} but no tool did that in this turn: "${c.sentence.slice(0, 120)}"` });
  }
  for (const v of checkAmounts(t, input.prices, toolAmounts(input.records)))
    out.push({ kind: 'below_floor', detail: `amount ${v.raw.trim()} is below the lowest allowed price${v.product ? ` for ${v.product}` : ''}` });
  if (PLATFORM_FORMAT.test(t)) out.push({ kind: 'platform_format', detail: 'writes a confirmation/reference line; only the platform writes those' });
  if (FOREIGN.test(t)) out.push({ kind: 'foreign_script', detail: "uses a script the customer does not write in; answer in the customer's language" });
  return out;
}
