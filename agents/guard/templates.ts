/**
 * Texts of the answer guard: the corrective instruction for the model's one retry (English:
 * the model's working language) and the safe customer-facing template, in the customer's
 * language (en, sw, sheng; en fallback), used when the retry fails too.
 */
import type { Violation } from './check-reply.ts';

/** The user-turn instruction that asks the model to rewrite a rejected reply. */
export function correctiveInstruction(violations: readonly Violation[]): string {
  return [
    '[platform guard] Your last reply was NOT sent to the customer because:',
    ...violations.map((v) => `- ${v.detail}`),
    'Rewrite it. State only what the tool results of this turn show was done; never claim a booking, cancellation, payment, lead or handoff no tool did;',
    'quote only prices the tools returned or the published prices; do not write confirmation/reference lines (the platform adds them); answer in the customer\'s language.',
  ].join('\n');
}

const CHECK_WITH_TEAM: Record<string, string> = {
  en: 'Let me check with the team and get back to you shortly.',
  sw: 'Acha niwasiliane na timu yetu, nitakujibu hivi punde.',
  sheng: 'Wacha nicheki na team, nitakurudia soon.',
};

const DONE_INTRO: Record<string, string> = {
  en: "Here is what I've done:",
  sw: 'Haya ndiyo nimefanya:',
  sheng: 'Hii ndio nimefanya:',
};

/**
 * The safe reply: the platform lines (what was really done) or, when nothing was done, "let me
 * check with the team" (the caller escalates with `policy_restriction`).
 */
export function safeTemplate(platformLines: readonly string[], lang: string): string {
  const check = CHECK_WITH_TEAM[lang] ?? CHECK_WITH_TEAM.en!;
  if (!platformLines.length) return check;
  return [DONE_INTRO[lang] ?? DONE_INTRO.en!, ...platformLines, check].join('\n');
}

const CANCELED_LINE: Record<string, (ref: string) => string> = {
  en: (r) => `Canceled: booking Ref ${r}.`,
  sw: (r) => `Imeghairiwa: booking Ref ${r}.`,
  sheng: (r) => `Imecancel: booking Ref ${r}.`,
};

/** The platform's cancellation line for a booking id (Ref = first 8 hex digits, upper case). */
export const canceledLine = (bookingId: string, lang: string) => (CANCELED_LINE[lang] ?? CANCELED_LINE.en!)(bookingId.slice(0, 8).toUpperCase());
